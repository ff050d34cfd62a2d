package io.katana.tls.openssl;

import io.katana.tls.ClientAuth;
import io.katana.tls.KeyMaterial;
import io.katana.tls.TlsClientConfig;
import io.katana.tls.TlsServerConfig;
import io.katana.tls.spi.TlsContext;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.net.ssl.SSLEngine;

/**
 * One {@code SSL_CTX} configured from a {@link TlsServerConfig} or {@link TlsClientConfig}: protocols
 * (TLS 1.2 and 1.3 only), cipher suites in the configured order (the server's order wins), identities
 * (several for SNI), trust, ALPN and the session cache. It makes one {@link OpenSslEngine} per
 * connection.
 *
 * <p>A client keeps the last session each {@code host:port} gave it (fed by OpenSSL's new-session
 * callback, TLS 1.3 tickets included) and offers it on the next connection there. A server uses
 * OpenSSL's own cache for TLS 1.2 session ids and its stateless tickets.
 *
 * <p><b>Threading:</b> {@link #newEngine} from any thread at once; callbacks run on reactor threads.
 * {@link #close()} waits for callbacks and engine creations in progress, then frees the {@code SSL_CTX}
 * reference, the identities' certificates and keys, and the cached client sessions; engines made
 * before keep the {@code SSL_CTX} alive through OpenSSL's reference count until they are released.
 */
final class OpenSslContext implements TlsContext {
    private static final byte[] SESSION_ID_CONTEXT = "katana".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_CLIENT_SESSIONS = 10_000;

    private final MemorySegment ctx;
    private final boolean server;
    private final TlsServerConfig serverConfig;
    private final List<String> applicationProtocols;
    private final byte[][] applicationProtocolBytes;
    private final Map<KeyMaterial, NativeIdentity> identities = new IdentityHashMap<>();
    private final Map<String, MemorySegment> clientSessions = new ConcurrentHashMap<>();
    private final Map<Long, String> sessionKeysBySsl = new ConcurrentHashMap<>();
    private final boolean verifyHostName;
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private OpenSslContext(MemorySegment ctx, boolean server, TlsServerConfig serverConfig,
            List<String> applicationProtocols, boolean verifyHostName) {
        this.ctx = ctx;
        this.server = server;
        this.serverConfig = serverConfig;
        this.applicationProtocols = applicationProtocols;
        this.applicationProtocolBytes = applicationProtocols.stream()
                .map(p -> p.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
        this.verifyHostName = verifyHostName;
    }

    static OpenSslContext server(TlsServerConfig config) {
        MemorySegment ctx = newCtx(LibSsl.TLS_SERVER_METHOD);
        OpenSslContext context = new OpenSslContext(ctx, true, config, config.applicationProtocols(), false);
        try {
            context.configureCommon(config.protocols(), config.cipherSuites());
            long options = (long) LibSsl.SSL_CTX_SET_OPTIONS.invokeExact(ctx, LibSsl.SSL_OP_CIPHER_SERVER_PREFERENCE);
            context.useIdentity(config.identity());
            for (KeyMaterial material : config.identitiesByName().values()) {
                context.identities.computeIfAbsent(material, NativeIdentity::of);
            }
            if (!config.identitiesByName().isEmpty()) {
                long set = (long) LibSsl.SSL_CTX_CALLBACK_CTRL.invokeExact(ctx, LibSsl.SSL_CTRL_SET_TLSEXT_SERVERNAME_CB,
                        Callbacks.SERVER_NAME);
            }
            if (config.clientAuth() != ClientAuth.NONE) {
                context.trust(config.trustedCertificates(), true);
                int mode = LibSsl.SSL_VERIFY_PEER
                        | (config.clientAuth() == ClientAuth.REQUIRED ? LibSsl.SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0);
                LibSsl.SSL_CTX_SET_VERIFY.invokeExact(ctx, mode, MemorySegment.NULL);
            }
            if (!config.applicationProtocols().isEmpty()) {
                LibSsl.SSL_CTX_SET_ALPN_SELECT_CB.invokeExact(ctx, Callbacks.ALPN_SELECT, MemorySegment.NULL);
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment id = arena.allocateFrom(ValueLayout.JAVA_BYTE, SESSION_ID_CONTEXT);
                check((int) LibSsl.SSL_CTX_SET_SESSION_ID_CONTEXT.invokeExact(ctx, id, SESSION_ID_CONTEXT.length),
                        "SSL_CTX_set_session_id_context");
            }
            LibSsl.ctxCtrl(ctx, LibSsl.SSL_CTRL_SET_SESS_CACHE_MODE, LibSsl.SSL_SESS_CACHE_SERVER, MemorySegment.NULL);
            LibSsl.ctxCtrl(ctx, LibSsl.SSL_CTRL_SET_SESS_CACHE_SIZE, config.sessionCacheSize(), MemorySegment.NULL);
            long previousTimeout = (long) LibSsl.SSL_CTX_SET_TIMEOUT.invokeExact(ctx,
                    Math.max(1, config.sessionTimeout().toSeconds()));
        } catch (Throwable t) {
            context.free();
            throw LibSsl.rethrow(t);
        }
        Callbacks.register(ctx, context);
        return context;
    }

    static OpenSslContext client(TlsClientConfig config) {
        MemorySegment ctx = newCtx(LibSsl.TLS_CLIENT_METHOD);
        OpenSslContext context = new OpenSslContext(ctx, false, null, config.applicationProtocols(),
                config.verifyHostName());
        try {
            context.configureCommon(config.protocols(), config.cipherSuites());
            if (config.identity() != null) {
                context.useIdentity(config.identity());
            }
            context.trust(config.trustedCertificates(), false);
            LibSsl.SSL_CTX_SET_VERIFY.invokeExact(ctx, LibSsl.SSL_VERIFY_PEER, MemorySegment.NULL);
            if (!config.applicationProtocols().isEmpty()) {
                byte[] wire = wireFormat(config.applicationProtocols());
                try (Arena arena = Arena.ofConfined()) {
                    // inverted: 0 means success here
                    if ((int) LibSsl.SSL_CTX_SET_ALPN_PROTOS.invokeExact(ctx,
                            arena.allocateFrom(ValueLayout.JAVA_BYTE, wire), wire.length) != 0) {
                        throw new IllegalArgumentException("OpenSSL refused the ALPN protocols "
                                + config.applicationProtocols() + ": " + OpenSslErrors.describe("no reason given"));
                    }
                }
            }
            LibSsl.ctxCtrl(ctx, LibSsl.SSL_CTRL_SET_SESS_CACHE_MODE,
                    LibSsl.SSL_SESS_CACHE_CLIENT | LibSsl.SSL_SESS_CACHE_NO_INTERNAL, MemorySegment.NULL);
            LibSsl.SSL_CTX_SESS_SET_NEW_CB.invokeExact(ctx, Callbacks.NEW_SESSION);
        } catch (Throwable t) {
            context.free();
            throw LibSsl.rethrow(t);
        }
        Callbacks.register(ctx, context);
        return context;
    }

    private static MemorySegment newCtx(java.lang.invoke.MethodHandle method) {
        LibSsl.clearErrors();
        MemorySegment ctx = LibSsl.pointer(LibSsl.SSL_CTX_NEW, LibSsl.pointer(method));
        if (ctx.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("SSL_CTX_new failed: " + OpenSslErrors.describe("no reason given"));
        }
        return ctx;
    }

    private static void check(int result, String call) {
        if (result != 1) {
            throw new IllegalArgumentException(call + " failed: " + OpenSslErrors.describe("no reason given"));
        }
    }

    /** Protocol range, suites, and the options both sides share. */
    private void configureCommon(List<String> protocols, List<String> cipherSuites) throws Throwable {
        long unused = (long) LibSsl.SSL_CTX_SET_OPTIONS.invokeExact(ctx,
                LibSsl.SSL_OP_NO_RENEGOTIATION | LibSsl.SSL_OP_NO_COMPRESSION);
        // Idle connections give their read and write buffers back (about 34 KiB each).
        LibSsl.ctxCtrl(ctx, LibSsl.SSL_CTRL_MODE, LibSsl.SSL_MODE_RELEASE_BUFFERS, MemorySegment.NULL);
        boolean tls13 = protocols.contains("TLSv1.3");
        boolean tls12 = protocols.contains("TLSv1.2");
        for (String protocol : protocols) {
            if (!protocol.equals("TLSv1.3") && !protocol.equals("TLSv1.2")) {
                throw new IllegalArgumentException("the openssl engine speaks TLSv1.3 and TLSv1.2 only, not " + protocol);
            }
        }
        CipherSuites.Split split = CipherSuites.split(cipherSuites);
        tls13 &= !split.tls13().isEmpty();
        tls12 &= !split.tls12().isEmpty();
        if (!tls13 && !tls12) {
            throw new IllegalArgumentException("none of the cipher suites " + cipherSuites
                    + " is known to OpenSSL for the protocols " + protocols);
        }
        LibSsl.ctxCtrl(ctx, LibSsl.SSL_CTRL_SET_MIN_PROTO_VERSION, tls12 ? LibSsl.TLS1_2_VERSION : LibSsl.TLS1_3_VERSION,
                MemorySegment.NULL);
        LibSsl.ctxCtrl(ctx, LibSsl.SSL_CTRL_SET_MAX_PROTO_VERSION, tls13 ? LibSsl.TLS1_3_VERSION : LibSsl.TLS1_2_VERSION,
                MemorySegment.NULL);
        try (Arena arena = Arena.ofConfined()) {
            check(LibSsl.intOf(LibSsl.SSL_CTX_SET_CIPHERSUITES, ctx, arena.allocateFrom(split.tls13List())),
                    "SSL_CTX_set_ciphersuites(" + split.tls13List() + ")");
            if (tls12) {
                check(LibSsl.intOf(LibSsl.SSL_CTX_SET_CIPHER_LIST, ctx, arena.allocateFrom(split.tls12List())),
                        "SSL_CTX_set_cipher_list(" + split.tls12List() + ")");
            }
        }
    }

    private void useIdentity(KeyMaterial material) throws Throwable {
        NativeIdentity identity = identities.computeIfAbsent(material, NativeIdentity::of);
        LibSsl.clearErrors();
        int result = (int) LibSsl.SSL_CTX_USE_CERT_AND_KEY.invokeExact(ctx, identity.certificate, identity.privateKey,
                identity.chain, 1);
        if (result != 1 || LibSsl.intOf(LibSsl.SSL_CTX_CHECK_PRIVATE_KEY, ctx) != 1) {
            throw new IllegalArgumentException("OpenSSL cannot use the identity " + material + ": "
                    + OpenSslErrors.describe("the key does not match the certificate"));
        }
    }

    /** Trusted certificates go into the context's store; none on a client means the system's CAs. */
    private void trust(List<X509Certificate> certificates, boolean nameClientCas) {
        MemorySegment store = LibSsl.pointer(LibSsl.SSL_CTX_GET_CERT_STORE, ctx);
        if (certificates.isEmpty() && !server) {
            LibSsl.intOf(LibSsl.SSL_CTX_SET_DEFAULT_VERIFY_PATHS, ctx);
            return;
        }
        for (X509Certificate certificate : certificates) {
            MemorySegment x509 = NativeIdentity.x509(certificate);
            try {
                LibSsl.clearErrors();
                if (LibSsl.intOf(LibSsl.X509_STORE_ADD_CERT, store, x509) != 1) {
                    // the same certificate twice is refused; anything else is worth saying
                    String reason = OpenSslErrors.describe("");
                    if (!reason.contains("already in hash table")) {
                        throw new IllegalArgumentException("OpenSSL cannot trust " + certificate.getSubjectX500Principal()
                                + ": " + reason);
                    }
                }
                if (nameClientCas) {
                    LibSsl.intOf(LibSsl.SSL_CTX_ADD_CLIENT_CA, ctx, x509);
                }
            } finally {
                LibSsl.voidOf(LibSsl.X509_FREE, x509);
            }
        }
    }

    static byte[] wireFormat(List<String> protocols) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (String protocol : protocols) {
            byte[] bytes = protocol.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length == 0 || bytes.length > 255) {
                throw new IllegalArgumentException("an ALPN protocol name must have 1 to 255 bytes: '" + protocol + "'");
            }
            wire.write(bytes.length);
            wire.writeBytes(bytes);
        }
        return wire.toByteArray();
    }

    // ------------------------------------------------------------------ engines

    @Override
    public OpenSslEngine newEngine(String peerHost, int peerPort) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("this TLS context is closed; open a new TlsServer or TlsClient");
            }
            LibSsl.clearErrors();
            MemorySegment ssl = LibSsl.pointer(LibSsl.SSL_NEW, ctx);
            if (ssl.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("SSL_new failed: " + OpenSslErrors.describe("out of memory"));
            }
            OpenSslEngine engine;
            try {
                engine = new OpenSslEngine(this, ssl, peerHost, peerPort, !server);
            } catch (RuntimeException e) {
                LibSsl.voidOf(LibSsl.SSL_FREE, ssl);
                throw e;
            }
            if (!server) {
                prepareClient(engine, ssl, peerHost, peerPort);
            }
            return engine;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private void prepareClient(OpenSslEngine engine, MemorySegment ssl, String host, int port) {
        if (host == null) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(host);
            boolean literal = isAddressLiteral(host);
            if (!literal) {
                LibSsl.sslCtrl(ssl, LibSsl.SSL_CTRL_SET_TLSEXT_HOSTNAME, LibSsl.TLSEXT_NAMETYPE_HOST_NAME, name);
            }
            if (verifyHostName) {
                int done = literal
                        ? LibSsl.intOf(LibSsl.X509_VERIFY_PARAM_SET1_IP_ASC, LibSsl.pointer(LibSsl.SSL_GET0_PARAM, ssl), name)
                        : LibSsl.intOf(LibSsl.SSL_SET1_HOST, ssl, name);
                if (done != 1) {
                    engine.release();
                    throw new IllegalArgumentException("OpenSSL cannot check the server's certificate against '" + host
                            + "': " + OpenSslErrors.describe("a malformed name"));
                }
            }
        }
        String key = host + ':' + port;
        sessionKeysBySsl.put(ssl.address(), key);
        clientSessions.computeIfPresent(key, (k, session) -> {
            LibSsl.intOf(LibSsl.SSL_SET_SESSION, ssl, session);
            return session;
        });
    }

    private static boolean isAddressLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true; // IPv6
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    /** An engine of this context freed its {@code SSL}: it can no longer receive sessions. */
    void forget(MemorySegment ssl) {
        if (!server) {
            sessionKeysBySsl.remove(ssl.address());
        }
    }

    List<String> applicationProtocols() {
        return applicationProtocols;
    }

    boolean isServer() {
        return server;
    }

    // ------------------------------------------------------------------ callbacks (reactor threads)

    /** SNI: switches the connection to the identity configured for the requested name. */
    int chooseIdentity(MemorySegment ssl) throws Throwable {
        String name = LibSsl.string((MemorySegment) LibSsl.SSL_GET_SERVERNAME.invokeExact(ssl,
                LibSsl.TLSEXT_NAMETYPE_HOST_NAME));
        KeyMaterial chosen = serverConfig.identityFor(name);
        if (chosen == serverConfig.identity()) {
            return LibSsl.SSL_TLSEXT_ERR_OK;
        }
        lifecycle.readLock().lock();
        try {
            NativeIdentity identity = closed ? null : identities.get(chosen);
            if (identity == null) {
                return LibSsl.SSL_TLSEXT_ERR_OK;
            }
            // cleared first: a connection holds one certificate per key type, and the default's must not stay
            LibSsl.voidOf(LibSsl.SSL_CERTS_CLEAR, ssl);
            int result = (int) LibSsl.SSL_USE_CERT_AND_KEY.invokeExact(ssl, identity.certificate, identity.privateKey,
                    identity.chain, 1);
            return result == 1 ? LibSsl.SSL_TLSEXT_ERR_OK : LibSsl.SSL_TLSEXT_ERR_ALERT_FATAL;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** ALPN on a server: the first of the server's protocols that the client offered, else a fatal alert. */
    int selectApplicationProtocol(MemorySegment out, MemorySegment outLength, MemorySegment in, int inLength) {
        MemorySegment offered = in.reinterpret(Integer.toUnsignedLong(inLength));
        for (byte[] wanted : applicationProtocolBytes) {
            long at = 0;
            while (at < offered.byteSize()) {
                int length = Byte.toUnsignedInt(offered.get(ValueLayout.JAVA_BYTE, at));
                if (length == wanted.length && at + 1 + length <= offered.byteSize()
                        && MemorySegment.mismatch(offered, at + 1, at + 1 + length,
                                MemorySegment.ofArray(wanted), 0, length) < 0) {
                    out.reinterpret(ValueLayout.ADDRESS.byteSize()).set(ValueLayout.ADDRESS, 0, offered.asSlice(at + 1));
                    outLength.reinterpret(1).set(ValueLayout.JAVA_BYTE, 0, (byte) length);
                    return LibSsl.SSL_TLSEXT_ERR_OK;
                }
                at += 1 + length;
            }
        }
        return LibSsl.SSL_TLSEXT_ERR_ALERT_FATAL; // no_application_protocol, as RFC 7301 asks
    }

    /** A client learned a session (a TLS 1.3 ticket, a TLS 1.2 session): it replaces the one kept for its peer. */
    boolean sessionCreated(MemorySegment ssl, MemorySegment session) {
        String key = sessionKeysBySsl.get(ssl.address());
        if (key == null) {
            return false;
        }
        lifecycle.readLock().lock();
        try {
            if (closed || (clientSessions.size() >= MAX_CLIENT_SESSIONS && !clientSessions.containsKey(key))) {
                return false;
            }
            clientSessions.compute(key, (k, old) -> {
                if (old != null) {
                    LibSsl.voidOf(LibSsl.SSL_SESSION_FREE, old);
                }
                return session;
            });
            return true;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------ close

    @Override
    public boolean resumed(SSLEngine engine) {
        return ((OpenSslSession) engine.getSession()).isResumed();
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            Callbacks.unregister(ctx);
            free();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private void free() {
        clientSessions.values().forEach(session -> LibSsl.voidOf(LibSsl.SSL_SESSION_FREE, session));
        clientSessions.clear();
        LibSsl.voidOf(LibSsl.SSL_CTX_FREE, ctx);
        identities.values().forEach(NativeIdentity::free);
        identities.clear();
    }

    @Override
    public String toString() {
        return "OpenSslContext[" + (server ? "server" : "client") + ", " + identities.size() + " identities]";
    }
}
