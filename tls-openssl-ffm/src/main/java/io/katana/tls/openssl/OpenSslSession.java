package io.katana.tls.openssl;

import java.io.ByteArrayInputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSessionContext;

/**
 * The session of one {@link OpenSslEngine}: protocol, cipher suite (standard name), ALPN choice, SNI
 * name, whether it was resumed and the session id are read once when the handshake completes, on the
 * engine's thread; the peer's certificates are referenced then and decoded on first request.
 *
 * <p><b>Threading:</b> safe from any thread; the handshake's values are published through volatile
 * fields, the certificate references are guarded by this object's lock, and the local certificate is
 * read under the engine's lifecycle lock so the {@code SSL} cannot be freed meanwhile.
 */
final class OpenSslSession extends ExtendedSSLSession {
    private static final Map<Long, String> NAMES_BY_POINTER = new ConcurrentHashMap<>();
    private static final String[] NO_ALGORITHMS = new String[0];

    private final OpenSslEngine engine;
    private final String peerHost;
    private final int peerPort;
    private final Map<String, Object> values = new HashMap<>();
    private volatile String protocol = "NONE";
    private volatile String cipherSuite = "SSL_NULL_WITH_NULL_NULL";
    private volatile String applicationProtocol;
    private volatile String serverName;
    private volatile boolean resumed;
    private volatile long creationTime = System.currentTimeMillis();
    private volatile boolean valid = true;
    private volatile byte[] id;
    private final OpenSslEngine.NativeState nativeState;
    private Certificate[] peerCertificates;

    OpenSslSession(OpenSslEngine engine, OpenSslEngine.NativeState nativeState, String peerHost, int peerPort) {
        this.engine = engine;
        this.nativeState = nativeState;
        this.peerHost = peerHost;
        this.peerPort = peerPort;
    }

    /** Reads what the handshake settled; on the engine's thread, right after it completed. */
    void handshakeCompleted(MemorySegment ssl) {
        try {
            protocol = nameAt(LibSsl.pointer(LibSsl.SSL_GET_VERSION, ssl));
            MemorySegment cipher = LibSsl.pointer(LibSsl.SSL_GET_CURRENT_CIPHER, ssl);
            cipherSuite = cipher.equals(MemorySegment.NULL) ? cipherSuite
                    : NAMES_BY_POINTER.computeIfAbsent(cipher.address(),
                            address -> LibSsl.string(LibSsl.pointer(LibSsl.SSL_CIPHER_STANDARD_NAME, cipher)));
            applicationProtocol = selectedProtocol(ssl);
            serverName = LibSsl.string((MemorySegment) LibSsl.SSL_GET_SERVERNAME.invokeExact(ssl,
                    LibSsl.TLSEXT_NAMETYPE_HOST_NAME));
            resumed = LibSsl.intOf(LibSsl.SSL_SESSION_REUSED, ssl) == 1;
            id = sessionId(ssl);
            referencePeerCertificates(ssl);
            creationTime = System.currentTimeMillis();
        } catch (Throwable t) {
            throw LibSsl.rethrow(t);
        }
    }

    /** OpenSSL's version strings are static: each is decoded once. */
    private static String nameAt(MemorySegment pointer) {
        return NAMES_BY_POINTER.computeIfAbsent(pointer.address(), address -> LibSsl.string(pointer));
    }

    /** The ALPN choice, as the configured string when it is one (no allocation), else decoded. */
    private String selectedProtocol(MemorySegment ssl) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            LibSsl.SSL_GET0_ALPN_SELECTED.invokeExact(ssl, data, length);
            int size = length.get(ValueLayout.JAVA_INT, 0);
            if (size == 0) {
                return null;
            }
            byte[] bytes = data.get(ValueLayout.ADDRESS, 0).reinterpret(size).toArray(ValueLayout.JAVA_BYTE);
            String chosen = new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
            for (String configured : engine.configuredApplicationProtocols()) {
                if (configured.equals(chosen)) {
                    return configured;
                }
            }
            return chosen;
        }
    }

    String applicationProtocol() {
        return applicationProtocol;
    }

    /** {@return whether the handshake resumed an earlier session (a TLS 1.3 ticket or a TLS 1.2 session id)} */
    boolean isResumed() {
        return resumed;
    }

    @Override
    public byte[] getId() {
        byte[] known = id;
        return known == null ? new byte[0] : known.clone();
    }

    private static byte[] sessionId(MemorySegment ssl) {
        MemorySegment session = LibSsl.pointer(LibSsl.SSL_GET_SESSION, ssl);
        if (session.equals(MemorySegment.NULL)) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment bytes = (MemorySegment) LibSsl.SSL_SESSION_GET_ID.invokeExact(session, length);
            int size = length.get(ValueLayout.JAVA_INT, 0);
            return size == 0 ? new byte[0] : bytes.reinterpret(size).toArray(ValueLayout.JAVA_BYTE);
        } catch (Throwable t) {
            throw LibSsl.rethrow(t);
        }
    }

    @Override
    public SSLSessionContext getSessionContext() {
        return null; // the cache lives in OpenSSL (server) and in the context (client)
    }

    @Override
    public long getCreationTime() {
        return creationTime;
    }

    @Override
    public long getLastAccessedTime() {
        return creationTime;
    }

    @Override
    public void invalidate() {
        valid = false;
    }

    @Override
    public boolean isValid() {
        return valid && !"NONE".equals(protocol);
    }

    @Override
    public void putValue(String name, Object value) {
        synchronized (values) {
            values.put(name, value);
        }
    }

    @Override
    public Object getValue(String name) {
        synchronized (values) {
            return values.get(name);
        }
    }

    @Override
    public void removeValue(String name) {
        synchronized (values) {
            values.remove(name);
        }
    }

    @Override
    public String[] getValueNames() {
        synchronized (values) {
            return values.keySet().toArray(String[]::new);
        }
    }

    /**
     * Takes references to the peer's certificates on the engine's thread: OpenSSL may replace the
     * session that holds them (a TLS 1.3 ticket arriving) while another thread reads them.
     */
    private void referencePeerCertificates(MemorySegment ssl) {
        MemorySegment leaf = MemorySegment.NULL;
        if (!engine.getUseClientMode()) {
            leaf = LibSsl.pointer(LibSsl.SSL_GET1_PEER_CERTIFICATE, ssl);
            if (leaf.equals(MemorySegment.NULL)) {
                return; // no client certificate: nothing else to keep
            }
        }
        MemorySegment stack = LibSsl.pointer(LibSsl.SSL_GET_PEER_CERT_CHAIN, ssl);
        nativeState.peerCertificates(leaf, stack.equals(MemorySegment.NULL) ? stack
                : LibSsl.pointer(LibSsl.X509_CHAIN_UP_REF, stack));
    }

    @Override
    public synchronized Certificate[] getPeerCertificates() throws SSLPeerUnverifiedException {
        if (peerCertificates == null) {
            synchronized (nativeState) { // the references stay valid while this lock is held
                MemorySegment leaf = nativeState.peerLeaf();
                MemorySegment stack = nativeState.peerStack();
                if (!leaf.equals(MemorySegment.NULL) || !stack.equals(MemorySegment.NULL)) {
                    peerCertificates = decodePeerChain(leaf, stack);
                }
            }
        }
        if (peerCertificates == null || peerCertificates.length == 0) {
            throw new SSLPeerUnverifiedException("the peer sent no certificate, or it was not read before the "
                    + "connection closed");
        }
        return peerCertificates.clone();
    }

    /** The peer's chain, leaf first: a client's stack holds the leaf, a server's starts after it. */
    private static Certificate[] decodePeerChain(MemorySegment leaf, MemorySegment stack) {
        List<Certificate> chain = new ArrayList<>();
        if (!leaf.equals(MemorySegment.NULL)) {
            chain.add(decode(leaf));
        }
        if (!stack.equals(MemorySegment.NULL)) {
            int count = LibSsl.intOf(LibSsl.OPENSSL_SK_NUM, stack);
            for (int i = 0; i < count; i++) {
                try {
                    chain.add(decode((MemorySegment) LibSsl.OPENSSL_SK_VALUE.invokeExact(stack, i)));
                } catch (Throwable t) {
                    throw LibSsl.rethrow(t);
                }
            }
        }
        return chain.toArray(Certificate[]::new);
    }

    private static X509Certificate decode(MemorySegment x509) {
        try (Arena arena = Arena.ofConfined()) {
            int length = LibSsl.intOf(LibSsl.I2D_X509, x509, MemorySegment.NULL);
            MemorySegment der = arena.allocate(Math.max(1, length));
            MemorySegment cursor = arena.allocateFrom(ValueLayout.ADDRESS, der);
            LibSsl.intOf(LibSsl.I2D_X509, x509, cursor);
            byte[] bytes = der.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(bytes));
        } catch (CertificateException e) {
            throw new IllegalStateException("OpenSSL handed over a certificate the JDK cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Certificate[] getLocalCertificates() {
        Certificate leaf = engine.whileAlive((ssl, client) -> {
            MemorySegment x509 = LibSsl.pointer(LibSsl.SSL_GET_CERTIFICATE, ssl);
            return x509.equals(MemorySegment.NULL) ? null : decode(x509);
        }, null);
        return leaf == null ? null : new Certificate[] {leaf};
    }

    @Override
    public Principal getPeerPrincipal() throws SSLPeerUnverifiedException {
        return ((X509Certificate) getPeerCertificates()[0]).getSubjectX500Principal();
    }

    @Override
    public Principal getLocalPrincipal() {
        Certificate[] local = getLocalCertificates();
        return local == null ? null : ((X509Certificate) local[0]).getSubjectX500Principal();
    }

    @Override
    public String getCipherSuite() {
        return cipherSuite;
    }

    @Override
    public String getProtocol() {
        return protocol;
    }

    @Override
    public String getPeerHost() {
        return peerHost;
    }

    @Override
    public int getPeerPort() {
        return peerPort;
    }

    @Override
    public int getPacketBufferSize() {
        return OpenSslEngine.MAX_RECORD;
    }

    @Override
    public int getApplicationBufferSize() {
        return OpenSslEngine.MAX_PLAINTEXT;
    }

    @Override
    public String[] getLocalSupportedSignatureAlgorithms() {
        return NO_ALGORITHMS.clone();
    }

    @Override
    public String[] getPeerSupportedSignatureAlgorithms() {
        return NO_ALGORITHMS.clone();
    }

    @Override
    public List<SNIServerName> getRequestedServerNames() {
        String name = serverName;
        if (name == null) {
            return List.of();
        }
        try {
            return List.of(new SNIHostName(name));
        } catch (IllegalArgumentException notAHostName) {
            return List.of();
        }
    }

    @Override
    public String toString() {
        return "OpenSslSession[" + protocol + ", " + cipherSuite + (resumed ? ", resumed" : "") + "]";
    }
}
