package io.katana.tls.openssl;

import io.katana.tls.spi.ReleasableEngine;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * An {@link SSLEngine} over one OpenSSL {@code SSL} with two memory BIOs: {@code unwrap} feeds one
 * whole TLS record into the read BIO, then runs the handshake or {@code SSL_read}; {@code wrap} runs
 * the handshake or {@code SSL_write}, then drains the write BIO. Handshake statuses follow the JDK's:
 * {@code NEED_WRAP} while the write BIO holds bytes, {@code FINISHED} once, in the result of the call
 * after which the handshake is complete and nothing is left to send.
 *
 * <p>Records go in whole, so plaintext never waits inside OpenSSL for a call that may not come;
 * a record header that cannot be TLS goes in at once, so OpenSSL names what is wrong. Nothing is
 * allocated per record: direct buffers are passed to OpenSSL as they are, heap buffers through a
 * per-thread native scratch (or in place, for the short BIO copies).
 *
 * <p>Settings come from the {@link OpenSslContext}; the setters of {@code SSLEngine} refuse to change
 * them. {@link #release()} frees the {@code SSL} (a {@link Cleaner} does it for an engine dropped
 * without release).
 *
 * <p><b>Threading:</b> one thread at a time, as every {@code SSLEngine}; {@link #getSession()} and
 * {@link #release()} from any thread.
 */
final class OpenSslEngine extends SSLEngine implements ReleasableEngine {
    /** The largest plaintext of one record, and of one {@code SSL_read}. */
    static final int MAX_PLAINTEXT = 16 * 1024;
    /** The largest record: header, plaintext and TLS 1.2's worst expansion (RFC 5246, 6.2.3). */
    static final int MAX_RECORD = 5 + MAX_PLAINTEXT + 2048;
    private static final int HEADER = 5;
    private static final Cleaner CLEANER = Cleaner.create();
    private static final MemorySegment MEMORY_BIO = LibSsl.pointer(LibSsl.BIO_S_MEM);
    private static final ScratchPerThread SCRATCH = new ScratchPerThread();

    private final OpenSslContext context;
    private final boolean client;
    private final MemorySegment ssl;
    private final MemorySegment readBio;
    private final MemorySegment writeBio;
    private final Cleaner.Cleanable freeing;
    private final OpenSslSession session;
    private final Object lifecycle = new Object();

    private boolean begun;
    private boolean handshakeCalled;
    private boolean handshakeDone;
    private boolean finishedReported;
    private boolean outputPending;
    private boolean inboundDone;
    private boolean closeNotifyReceived;
    private boolean outboundClosed;
    private boolean shutdownSent;
    private boolean failed;
    private volatile boolean released;
    /** Bytes a record adds to its plaintext with the negotiated suite; the worst case until then. */
    private int recordOverhead = MAX_RECORD - MAX_PLAINTEXT;

    OpenSslEngine(OpenSslContext context, MemorySegment ssl, String peerHost, int peerPort, boolean client) {
        super(peerHost, peerPort);
        this.context = context;
        this.client = client;
        this.ssl = ssl;
        MemorySegment read = LibSsl.pointer(LibSsl.BIO_NEW, MEMORY_BIO);
        MemorySegment write = LibSsl.pointer(LibSsl.BIO_NEW, MEMORY_BIO);
        if (read.equals(MemorySegment.NULL) || write.equals(MemorySegment.NULL)) {
            freeBio(read);
            freeBio(write);
            throw new IllegalStateException("BIO_new failed: " + OpenSslErrors.describe("out of memory"));
        }
        // an empty read BIO means "not yet", not end of stream
        LibSsl.bioCtrl(read, LibSsl.BIO_C_SET_BUF_MEM_EOF_RETURN, -1);
        try {
            LibSsl.SSL_SET_BIO.invokeExact(ssl, read, write); // the SSL owns both from here
            (client ? LibSsl.SSL_SET_CONNECT_STATE : LibSsl.SSL_SET_ACCEPT_STATE).invokeExact(ssl);
        } catch (Throwable t) {
            throw LibSsl.rethrow(t);
        }
        this.readBio = read;
        this.writeBio = write;
        NativeState state = new NativeState(ssl.address());
        this.session = new OpenSslSession(this, state, peerHost, peerPort);
        this.freeing = CLEANER.register(this, state);
    }

    private static void freeBio(MemorySegment bio) {
        if (!bio.equals(MemorySegment.NULL)) {
            LibSsl.intOf(LibSsl.BIO_FREE, bio);
        }
    }

    /**
     * What one connection holds in native memory: its {@code SSL} (with both BIOs) and the references
     * its session took to the peer's certificates. Freed once, by {@link #release()} or by the {@link
     * Cleaner}; it holds nothing that keeps the engine reachable.
     */
    static final class NativeState implements Runnable {
        private final long ssl;
        private MemorySegment peerLeaf = MemorySegment.NULL;
        private MemorySegment peerStack = MemorySegment.NULL;

        NativeState(long ssl) {
            this.ssl = ssl;
        }

        synchronized void peerCertificates(MemorySegment leaf, MemorySegment stack) {
            peerLeaf = leaf;
            peerStack = stack;
        }

        synchronized MemorySegment peerLeaf() {
            return peerLeaf;
        }

        synchronized MemorySegment peerStack() {
            return peerStack;
        }

        @Override
        public synchronized void run() {
            if (!peerLeaf.equals(MemorySegment.NULL)) {
                LibSsl.voidOf(LibSsl.X509_FREE, peerLeaf);
                peerLeaf = MemorySegment.NULL;
            }
            if (!peerStack.equals(MemorySegment.NULL)) {
                try {
                    LibSsl.OPENSSL_SK_POP_FREE.invokeExact(peerStack, LibSsl.X509_FREE_FUNCTION);
                } catch (Throwable t) {
                    throw LibSsl.rethrow(t);
                }
                peerStack = MemorySegment.NULL;
            }
            LibSsl.voidOf(LibSsl.SSL_FREE, MemorySegment.ofAddress(ssl));
        }
    }

    // ------------------------------------------------------------------ handshake

    @Override
    public void beginHandshake() throws SSLException {
        ensureUsable();
        if (handshakeDone) {
            throw new SSLException("the openssl engine does not renegotiate: the handshake is already complete");
        }
        begun = true;
    }

    @Override
    public HandshakeStatus getHandshakeStatus() {
        if (outputPending) {
            return HandshakeStatus.NEED_WRAP;
        }
        if (!handshakeDone) {
            if (!begun || failed) {
                return HandshakeStatus.NOT_HANDSHAKING;
            }
            return client && !handshakeCalled ? HandshakeStatus.NEED_WRAP : HandshakeStatus.NEED_UNWRAP;
        }
        if (outboundClosed && !shutdownSent && !failed) {
            return HandshakeStatus.NEED_WRAP; // close_notify still to send
        }
        return HandshakeStatus.NOT_HANDSHAKING;
    }

    /** The status a result carries: FINISHED once, when the handshake is complete and all its bytes are out. */
    private HandshakeStatus resultStatus() {
        if (handshakeDone && !finishedReported && !outputPending) {
            finishedReported = true;
            return HandshakeStatus.FINISHED;
        }
        return getHandshakeStatus();
    }

    /** Runs the handshake as far as the input allows. */
    private void handshake() throws SSLException {
        handshakeCalled = true;
        LibSsl.clearErrors();
        int result = LibSsl.doHandshake(ssl);
        if (result == 1) {
            handshakeDone = true;
            session.handshakeCompleted(ssl);
            recordOverhead = recordOverhead(session.getProtocol(), session.getCipherSuite());
        } else {
            int error = LibSsl.getError(ssl, result);
            if (error != LibSsl.SSL_ERROR_WANT_READ && error != LibSsl.SSL_ERROR_WANT_WRITE) {
                throw failure(error, result, true);
            }
        }
        updatePending();
    }

    /**
     * The most a record of {@code suite} adds to its plaintext: header, then per suite the explicit
     * nonce, tag and content type (TLS 1.3). Knowing it lets a record fill a destination smaller than
     * {@link #MAX_RECORD}, such as one chunk of an outbound queue. Suites with a MAC and padding (CBC)
     * keep the worst case.
     */
    static int recordOverhead(String protocol, String suite) {
        if ("TLSv1.3".equals(protocol)) {
            return HEADER + 1 + 16; // inner content type and a 16-byte tag; OpenSSL adds no padding by default
        }
        if (suite.contains("_GCM_") || suite.contains("_CCM")) {
            return HEADER + 8 + 16; // explicit nonce and tag
        }
        if (suite.contains("CHACHA20_POLY1305")) {
            return HEADER + 16;
        }
        return MAX_RECORD - MAX_PLAINTEXT;
    }

    // ------------------------------------------------------------------ wrap

    @Override
    public SSLEngineResult wrap(ByteBuffer[] sources, int offset, int length, ByteBuffer destination) throws SSLException {
        ensureUsable();
        if (destination.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        if (outputPending) {
            int produced = drain(destination);
            return new SSLEngineResult(outboundClosed && !outputPending ? Status.CLOSED : Status.OK, resultStatus(), 0,
                    produced);
        }
        if (outboundClosed) {
            if (!shutdownSent) {
                shutdownSent = true;
                if (handshakeDone && !failed) {
                    LibSsl.clearErrors();
                    LibSsl.shutdown(ssl);
                    OpenSslErrors.drain(); // nothing to tell anyone: the peer may already be gone
                    updatePending();
                }
            }
            int produced = outputPending ? drain(destination) : 0;
            return new SSLEngineResult(Status.CLOSED, getHandshakeStatus(), 0, produced);
        }
        if (!handshakeDone) {
            if (!begun) {
                beginHandshake();
            }
            if (failed) {
                throw new SSLException("the TLS handshake failed before; this engine cannot go on");
            }
            handshake();
            int produced = outputPending ? drain(destination) : 0;
            return new SSLEngineResult(Status.OK, resultStatus(), 0, produced);
        }
        return encrypt(sources, offset, length, destination);
    }

    /**
     * Records of up to {@link #MAX_PLAINTEXT} bytes from each source buffer while the destination has
     * room for one (a smaller destination takes a shorter record); each drained at once.
     */
    private SSLEngineResult encrypt(ByteBuffer[] sources, int offset, int length, ByteBuffer destination)
            throws SSLException {
        int consumed = 0;
        int produced = 0;
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer source = sources[i];
            while (source.hasRemaining()) {
                int room = destination.remaining() - recordOverhead;
                if (room <= 0) {
                    Status status = consumed == 0 && produced == 0 ? Status.BUFFER_OVERFLOW : Status.OK;
                    return new SSLEngineResult(status, resultStatus(), consumed, produced);
                }
                int chunk = Math.min(Math.min(source.remaining(), MAX_PLAINTEXT), room);
                int written = write(source, chunk);
                consumed += written;
                produced += drain(destination);
                if (outputPending) {
                    break; // the record did not fit after all: the rest goes out on the next wrap
                }
            }
        }
        return new SSLEngineResult(Status.OK, resultStatus(), consumed, produced);
    }

    private int write(ByteBuffer source, int chunk) throws SSLException {
        int position = source.position();
        MemorySegment from;
        if (source.isDirect()) {
            from = MemorySegment.ofBuffer(source);
        } else {
            from = SCRATCH.get();
            MemorySegment.copy(MemorySegment.ofBuffer(source), 0, from, 0, chunk);
        }
        LibSsl.clearErrors();
        int written = LibSsl.sslWrite(ssl, from, chunk);
        if (written <= 0) {
            int error = LibSsl.getError(ssl, written);
            throw failure(error, written, false);
        }
        source.position(position + written);
        updatePending();
        return written;
    }

    /** Moves what the write BIO holds into {@code destination}, as much as fits. */
    private int drain(ByteBuffer destination) {
        int room = destination.remaining();
        if (room == 0) {
            return 0;
        }
        int position = destination.position();
        int read = LibSsl.bioRead(writeBio, MemorySegment.ofBuffer(destination), room);
        int produced = Math.max(read, 0);
        destination.position(position + produced);
        updatePending();
        return produced;
    }

    private void updatePending() {
        outputPending = LibSsl.bioCtrl(writeBio, LibSsl.BIO_CTRL_PENDING, 0) > 0;
    }

    // ------------------------------------------------------------------ unwrap

    @Override
    public SSLEngineResult unwrap(ByteBuffer source, ByteBuffer[] destinations, int offset, int length)
            throws SSLException {
        ensureUsable();
        if (inboundDone) {
            return new SSLEngineResult(Status.CLOSED, getHandshakeStatus(), 0, 0);
        }
        if (failed) {
            throw new SSLException("this TLS engine failed before and reads nothing more");
        }
        if (!begun) {
            beginHandshake();
        }
        int available = source.remaining();
        if (available < HEADER) {
            return new SSLEngineResult(Status.BUFFER_UNDERFLOW, getHandshakeStatus(), 0, 0);
        }
        int position = source.position();
        int type = Byte.toUnsignedInt(source.get(position));
        int major = source.get(position + 1);
        int recordLength = (Byte.toUnsignedInt(source.get(position + 3)) << 8) | Byte.toUnsignedInt(source.get(position + 4));
        boolean plausible = type >= 20 && type <= 24 && major == 3 && recordLength <= MAX_RECORD - HEADER;
        int feed = available;
        if (plausible) {
            if (available < HEADER + recordLength) {
                return new SSLEngineResult(Status.BUFFER_UNDERFLOW, getHandshakeStatus(), 0, 0);
            }
            feed = HEADER + recordLength;
            if (handshakeDone && room(destinations, offset, length) < Math.min(recordLength, MAX_PLAINTEXT)) {
                return new SSLEngineResult(Status.BUFFER_OVERFLOW, getHandshakeStatus(), 0, 0);
            }
        }
        LibSsl.bioWrite(readBio, MemorySegment.ofBuffer(source).asSlice(0, feed), feed);
        source.position(position + feed);
        if (!handshakeDone) {
            handshake();
            return new SSLEngineResult(Status.OK, resultStatus(), feed, 0);
        }
        int produced = decrypt(destinations, offset, length);
        return new SSLEngineResult(inboundDone ? Status.CLOSED : Status.OK, resultStatus(), feed, produced);
    }

    private static long room(ByteBuffer[] buffers, int offset, int length) {
        long room = 0;
        for (int i = offset; i < offset + length; i++) {
            room += buffers[i].remaining();
        }
        return room;
    }

    /** {@code SSL_read} into the destinations until OpenSSL holds no more plaintext of the record fed. */
    private int decrypt(ByteBuffer[] destinations, int offset, int length) throws SSLException {
        int produced = 0;
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer destination = destinations[i];
            if (destination.isReadOnly()) {
                throw new ReadOnlyBufferException();
            }
            while (destination.hasRemaining()) {
                int position = destination.position();
                int want = Math.min(destination.remaining(), MAX_PLAINTEXT);
                MemorySegment into = destination.isDirect() ? MemorySegment.ofBuffer(destination) : SCRATCH.get();
                LibSsl.clearErrors();
                int read = LibSsl.sslRead(ssl, into, want);
                if (read <= 0) {
                    int error = LibSsl.getError(ssl, read);
                    updatePending();
                    if (error == LibSsl.SSL_ERROR_WANT_READ) {
                        return produced;
                    }
                    if (error == LibSsl.SSL_ERROR_ZERO_RETURN) {
                        inboundDone = true;
                        closeNotifyReceived = true;
                        return produced;
                    }
                    throw failure(error, read, false);
                }
                if (!destination.isDirect()) {
                    MemorySegment.copy(into, 0, MemorySegment.ofBuffer(destination), 0, read);
                }
                destination.position(position + read);
                produced += read;
                if (LibSsl.pending(ssl) == 0) {
                    updatePending();
                    return produced;
                }
            }
        }
        updatePending();
        return produced;
    }

    // ------------------------------------------------------------------ failures

    /**
     * The exception for a failed call, with OpenSSL's reasons; the alert OpenSSL queued stays in the
     * write BIO for the next {@code wrap}. The error queue is emptied.
     */
    private SSLException failure(int error, int result, boolean inHandshake) {
        failed = true;
        updatePending();
        String reasons = OpenSslErrors.drain();
        long verify = verifyResult();
        StringBuilder message = new StringBuilder(inHandshake || !handshakeDone ? "TLS handshake failed: " : "TLS failed: ");
        if (reasons != null) {
            message.append(reasons);
        } else if (error == LibSsl.SSL_ERROR_SYSCALL) {
            message.append("the peer's records ended unexpectedly (SSL_ERROR_SYSCALL, result ").append(result).append(')');
        } else {
            message.append("SSL_get_error ").append(error).append(" with no reason queued");
        }
        if (verify != LibSsl.X509_V_OK) {
            message.append(" (certificate check: ").append(OpenSslErrors.verifyReason(verify)).append(')');
        }
        return inHandshake || !handshakeDone ? new SSLHandshakeException(message.toString())
                : new SSLException(message.toString());
    }

    private long verifyResult() {
        try {
            return (long) LibSsl.SSL_GET_VERIFY_RESULT.invokeExact(ssl);
        } catch (Throwable t) {
            throw LibSsl.rethrow(t);
        }
    }

    private void ensureUsable() throws SSLException {
        if (released) {
            throw new SSLException("this TLS engine was released when its connection closed");
        }
    }

    // ------------------------------------------------------------------ close

    @Override
    public void closeInbound() throws SSLException {
        boolean truncated = !inboundDone && begun && !closeNotifyReceived;
        inboundDone = true;
        if (truncated && handshakeDone) {
            throw new SSLException("the inbound side closed without the peer's close_notify: the data may be truncated");
        }
    }

    @Override
    public boolean isInboundDone() {
        return inboundDone || released;
    }

    @Override
    public void closeOutbound() {
        outboundClosed = true;
    }

    @Override
    public boolean isOutboundDone() {
        return released || (outboundClosed && !outputPending && (shutdownSent || failed || !handshakeDone));
    }

    /** Frees the {@code SSL} once; the session keeps what it learned during the handshake. */
    @Override
    public void release() {
        synchronized (lifecycle) {
            if (released) {
                return;
            }
            released = true;
            context.forget(ssl);
            freeing.clean();
        }
    }

    /**
     * Runs {@code query} on the live {@code SSL} under the lifecycle lock, so that {@link #release()}
     * cannot free it meanwhile; {@code orElse} when it was released.
     */
    <T> T whileAlive(BiFunction<MemorySegment, Boolean, T> query, T orElse) {
        synchronized (lifecycle) {
            return released ? orElse : query.apply(ssl, client);
        }
    }

    // ------------------------------------------------------------------ session and settings

    @Override
    public SSLSession getSession() {
        return session;
    }

    @Override
    public SSLSession getHandshakeSession() {
        return handshakeDone ? null : session;
    }

    @Override
    public String getApplicationProtocol() {
        return handshakeDone ? session.applicationProtocol() : null;
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return handshakeDone ? null : session.applicationProtocol();
    }

    List<String> configuredApplicationProtocols() {
        return context.applicationProtocols();
    }

    @Override
    public Runnable getDelegatedTask() {
        return null; // OpenSSL does its work inside the calls
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return CipherSuites.supported().toArray(String[]::new);
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return getSupportedCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        throw fixed("cipher suites");
    }

    @Override
    public String[] getSupportedProtocols() {
        return new String[] {"TLSv1.3", "TLSv1.2"};
    }

    @Override
    public String[] getEnabledProtocols() {
        return getSupportedProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        throw fixed("protocols");
    }

    @Override
    public void setUseClientMode(boolean mode) {
        if (mode != client) {
            throw fixed("client or server mode");
        }
    }

    @Override
    public boolean getUseClientMode() {
        return client;
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        throw fixed("client authentication");
    }

    @Override
    public boolean getNeedClientAuth() {
        return false;
    }

    @Override
    public void setWantClientAuth(boolean want) {
        throw fixed("client authentication");
    }

    @Override
    public boolean getWantClientAuth() {
        return false;
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        throw fixed("session creation");
    }

    @Override
    public boolean getEnableSessionCreation() {
        return true;
    }

    @Override
    public void setSSLParameters(SSLParameters parameters) {
        throw fixed("SSL parameters");
    }

    private static UnsupportedOperationException fixed(String what) {
        return new UnsupportedOperationException("the openssl engine takes its " + what
                + " from the TlsServerConfig or TlsClientConfig its context was made from");
    }

    @Override
    public String toString() {
        return "OpenSslEngine[" + (client ? "client" : "server") + (handshakeDone ? ", " + session.getProtocol() : "")
                + (released ? ", released" : "") + "]";
    }

    /** A native buffer per thread for heap buffers' bytes on their way to or from {@code SSL_read/write}. */
    private static final class ScratchPerThread extends ThreadLocal<MemorySegment> {
        @Override
        protected MemorySegment initialValue() {
            return java.lang.foreign.Arena.ofAuto().allocate(MAX_PLAINTEXT);
        }
    }
}
