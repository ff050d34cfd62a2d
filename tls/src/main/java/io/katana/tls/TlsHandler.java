package io.katana.tls;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.KeptInputLimitException;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorLocal;
import io.katana.reactor.ScheduledTask;
import io.katana.tls.spi.ReleasableEngine;
import io.katana.tls.spi.TlsContext;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler of the TCP connection under a TLS one: it drives the engine through the handshake, then
 * decrypts what arrives for the wrapped handler and encrypts what that handler writes (through {@link
 * SecureConnection}). The wrapped handler is opened only once the handshake is complete, so a failed
 * handshake never reaches it; a client learns of it through its connect future.
 *
 * <p>Decryption goes into a reactor's scratch buffer, several records at a time, and the plaintext is
 * delivered from there; only what the wrapped handler leaves unconsumed is copied into a buffer of the
 * connection's own, as the reactor does with raw input. Ciphertext short of a whole record is left to
 * the reactor to keep. Encryption writes each record straight into the reactor's outbound queue.
 *
 * <p><b>Threading:</b> every method runs on the connection's reactor thread; {@link SecureConnection}
 * hands calls from other threads over first.
 */
final class TlsHandler implements ConnectionHandler, Consumer<ByteBuffer> {
    private static final Logger LOG = LoggerFactory.getLogger(TlsHandler.class);
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    private static final int SCRATCH_BYTES = 64 * 1024;
    private static final int MAX_KEPT_PLAINTEXT = 4 * 1024 * 1024;
    /** A chunk of the outbound queue with the reactor's default configuration. */
    private static final int QUEUE_CHUNK = ReactorConfig.defaults().outboundChunkSize();
    private static final ReactorLocal<ByteBuffer> SCRATCH =
            ReactorLocal.withInitial(() -> ByteBuffer.allocateDirect(SCRATCH_BYTES));
    private static final ReactorLocal<ByteBuffer> STAGING =
            ReactorLocal.withInitial(() -> ByteBuffer.allocateDirect(SCRATCH_BYTES));
    /** Where a record bigger than a queue chunk is made, then copied into the queue's chunks. */
    private static final ReactorLocal<ByteBuffer> RECORD =
            ReactorLocal.withInitial(() -> ByteBuffer.allocateDirect(SCRATCH_BYTES));

    private final TlsContext context;
    private final SSLEngine engine;
    private final String engineName;
    private final Duration handshakeTimeout;
    private final Supplier<? extends ConnectionHandler> handlers;
    private final CompletableFuture<TlsConnection> established;

    private ConnectionHandler inner;
    private Connection raw;
    private SecureConnection secure;
    private ScheduledTask handshakeTimer;
    /** Decrypted bytes the wrapped handler left unconsumed, in write mode; null when there are none. */
    private ByteBuffer kept;
    private boolean handshakeDone;
    /** Written once on the reactor thread before the wrapped handler opens; read from any thread. */
    private volatile boolean resumed;
    private boolean paused;
    private boolean closing;
    private boolean outboundClosed;
    private boolean inboundDone;
    private boolean inputClosedReported;
    private boolean finPending;
    private Throwable failure;

    private ByteBuffer wrapSource;
    private SSLEngineResult wrapResult;
    /** The engine refused a destination smaller than its packet size (as the JDK's does): ask for that. */
    private boolean wholePacketsOnly;

    /** Server side: {@code handlers} makes the wrapped handler once the handshake is complete. */
    TlsHandler(TlsContext context, SSLEngine engine, String engineName, Duration handshakeTimeout,
            Supplier<? extends ConnectionHandler> handlers) {
        this.context = context;
        this.engine = engine;
        this.engineName = engineName;
        this.handshakeTimeout = handshakeTimeout;
        this.handlers = handlers;
        this.established = null;
    }

    /** Client side: {@code established} completes once the handshake is, after the handler's {@code onOpen}. */
    TlsHandler(TlsContext context, SSLEngine engine, String engineName, Duration handshakeTimeout,
            ConnectionHandler handler, CompletableFuture<TlsConnection> established) {
        this.context = context;
        this.engine = engine;
        this.engineName = engineName;
        this.handshakeTimeout = handshakeTimeout;
        this.handlers = () -> handler;
        this.established = established;
    }

    SSLEngine engine() {
        return engine;
    }

    String engineName() {
        return engineName;
    }

    /** {@return whether the handshake resumed a session; false until it is complete} */
    boolean resumed() {
        return resumed;
    }

    // ------------------------------------------------------------------ events of the TCP connection

    @Override
    public void onOpen(Connection connection) {
        raw = connection;
        secure = new SecureConnection(this, connection);
        handshakeTimer = connection.reactor().schedule(handshakeTimeout, this::handshakeTimedOut);
        try {
            engine.beginHandshake();
            pump(NOTHING);
        } catch (SSLException e) {
            fail(e);
        }
    }

    @Override
    public void onRead(Connection connection, ByteBuffer data) {
        if (failure != null || inboundDone || closing) {
            data.position(data.limit()); // after close_notify or a failure nothing more is read
            return;
        }
        try {
            pump(data);
        } catch (SSLException e) {
            data.position(data.limit());
            fail(e);
        }
    }

    @Override
    public void onInputClosed(Connection connection) {
        if (paused) {
            finPending = true; // records may still wait with the reactor; look again on resume
            return;
        }
        endOfStream();
    }

    @Override
    public void onWritabilityChanged(Connection connection, boolean writable) {
        if (inner != null) {
            inner.onWritabilityChanged(secure, writable);
        }
    }

    @Override
    public void onShutdown(Connection connection) {
        if (inner != null) {
            inner.onShutdown(secure);
        } else {
            connection.abort(); // a handshake still running when the group shuts down is not worth finishing
        }
    }

    @Override
    public void onClose(Connection connection, Throwable cause) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        kept = null;
        Throwable reported = failure != null ? failure : cause;
        try {
            if (inner != null) {
                inner.onClose(secure, reported);
            } else if (established != null) {
                established.completeExceptionally(reported != null ? reported
                        : new SSLException("the connection closed during the TLS handshake"));
            } else if (reported != null) {
                LOG.debug("TLS handshake on connection {} failed: {}", connection.id(), reported.toString());
            }
        } finally {
            release();
        }
    }

    /** Frees a native engine's state; the session keeps what the handshake taught it. */
    void release() {
        if (engine instanceof ReleasableEngine releasable) {
            releasable.release();
        }
    }

    // ------------------------------------------------------------------ inbound: handshake and decryption

    /** Runs the engine as far as {@code in} allows, delivering plaintext and flushing what it wrote. */
    private void pump(ByteBuffer in) throws SSLException {
        boolean wrote = false;
        ByteBuffer target = null;
        try {
            loop:
            while (failure == null && !closing) {
                switch (engine.getHandshakeStatus()) {
                    case NEED_TASK -> {
                        runDelegatedTasks();
                        continue;
                    }
                    case NEED_WRAP -> {
                        SSLEngineResult result = wrap(NOTHING);
                        if (result == null) {
                            break loop;
                        }
                        wrote = true;
                        if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                            handshakeFinished();
                        }
                        if (result.bytesProduced() == 0) {
                            break loop;
                        }
                        continue;
                    }
                    default -> { }
                }
                if (inboundDone || !in.hasRemaining() || (paused && handshakeDone)) {
                    break;
                }
                if (target == null) {
                    target = kept != null ? kept : SCRATCH.get(raw).clear();
                }
                target = withRoom(target);
                if (target == null) {
                    return;
                }
                SSLEngineResult result = engine.unwrap(in, target);
                switch (result.getStatus()) {
                    case BUFFER_UNDERFLOW -> {
                        break loop; // the rest of the record has not arrived: the reactor keeps the part
                    }
                    case BUFFER_OVERFLOW -> {
                        target = grow(target);
                        if (target == null) {
                            return;
                        }
                        continue;
                    }
                    case CLOSED -> inboundDone = true;
                    case OK -> { }
                }
                if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                    handshakeFinished();
                } else if (renegotiationRequested(result)) {
                    in.position(in.limit());
                    refuseRenegotiation();
                    return;
                }
            }
        } finally {
            if (wrote) {
                raw.flush();
            }
        }
        if (target == null) {
            target = kept;
        }
        if (target != null) {
            deliver(target);
            keep(target);
        }
        if (inboundDone && !handshakeDone) {
            closing = true; // the peer gave up with close_notify before the handshake ended
            raw.close();
            return;
        }
        reportInputClosedIfDue();
        if (finPending && !paused) {
            finPending = false;
            endOfStream();
        }
    }

    /**
     * A server whose TLS 1.2 handshake is over hears a new ClientHello as a handshake the engine wants
     * to run again. Refusing it closes a cheap way to make the server do full handshakes without new
     * connections (testssl's "secure client-initiated renegotiation: VULNERABLE, DoS threat"). TLS 1.3
     * has no renegotiation; its post-handshake messages (KeyUpdate) pass.
     */
    private boolean renegotiationRequested(SSLEngineResult result) {
        return handshakeDone && established == null
                && result.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING
                && !"TLSv1.3".equals(engine.getSession().getProtocol());
    }

    private void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** {@return {@code target}, or a bigger buffer holding its bytes, with room for one record's plaintext} */
    private ByteBuffer withRoom(ByteBuffer target) {
        int need = engine.getSession().getApplicationBufferSize();
        if (target.remaining() >= need) {
            return target;
        }
        deliver(target);
        return target.remaining() >= need ? target : grow(target);
    }

    /** Moves the bytes of {@code target} to a bigger buffer of this connection's own. */
    private ByteBuffer grow(ByteBuffer target) {
        int need = engine.getSession().getApplicationBufferSize();
        if (target.position() > MAX_KEPT_PLAINTEXT) {
            fail(new KeptInputLimitException(target.position(), MAX_KEPT_PLAINTEXT));
            return null;
        }
        ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(target.capacity() * 2, target.position() + need));
        bigger.put(target.flip());
        kept = bigger;
        return bigger;
    }

    /** Hands the wrapped handler the plaintext in {@code target} (write mode), keeping what it leaves. */
    private void deliver(ByteBuffer target) {
        if (inner == null || paused || closing || target.position() == 0 || !raw.isOpen()) {
            return;
        }
        target.flip();
        try {
            inner.onRead(secure, target);
        } finally {
            target.compact();
        }
    }

    /** After a pump: plaintext left in the shared scratch moves to a buffer of this connection's own. */
    private void keep(ByteBuffer target) {
        if (target == kept) {
            if (kept.position() == 0) {
                kept = null; // an idle connection holds no buffer
            }
        } else if (target.position() > 0) {
            int need = engine.getSession().getApplicationBufferSize();
            kept = ByteBuffer.allocateDirect(Math.max(2 * need, target.position() + need));
            kept.put(target.flip());
        }
    }

    private void handshakeFinished() {
        if (handshakeDone) {
            return;
        }
        handshakeDone = true;
        resumed = context.resumed(engine);
        handshakeTimer.cancel();
        inner = handlers.get();
        inner.onOpen(secure);
        if (established != null) {
            established.complete(secure);
        }
    }

    private void reportInputClosedIfDue() {
        if (inboundDone && handshakeDone && !inputClosedReported && inner != null && !paused && !closing
                && raw.isOpen()) {
            inputClosedReported = true;
            inner.onInputClosed(secure);
        }
    }

    /** The TCP stream ended: after close_notify that is the orderly end, otherwise a truncation. */
    private void endOfStream() {
        if (inboundDone) {
            reportInputClosedIfDue();
        } else if (!handshakeDone) {
            closing = true;
            raw.close(); // the peer left mid-handshake; nothing to tell anyone
        } else if (!closing) {
            failure = new TlsTruncationException();
            closing = true;
            raw.close();
        }
    }

    private void handshakeTimedOut() {
        if (!handshakeDone && raw.isOpen()) {
            failure = new TlsHandshakeTimeoutException(handshakeTimeout);
            closing = true;
            raw.abort();
        }
    }

    /**
     * Ends the connection without close_notify: mid-handshake the engine can only say close_notify
     * (after user_canceled), which clients read as an orderly end ({@code openssl s_client} exits 0,
     * so testssl rates the renegotiation as accepted). A TCP end without it is an error to every TLS
     * client, as a fatal alert would be. What was queued before still goes out first.
     */
    private void refuseRenegotiation() {
        fail(new SSLException("client-initiated TLS renegotiation refused: a client may start one handshake"
                + " per connection (each costs the server a full handshake's CPU)"), false);
    }

    /** A TLS failure: the engine's alert is sent if it has one, then the connection closes. */
    private void fail(Exception cause) {
        fail(cause, true);
    }

    private void fail(Exception cause, boolean sendCloseRecords) {
        if (failure == null) {
            failure = cause;
        }
        closing = true;
        outboundClosed = true;
        engine.closeOutbound();
        if (sendCloseRecords) {
            sendCloseRecords();
        }
        raw.close();
    }

    // ------------------------------------------------------------------ outbound: encryption (from SecureConnection)

    void write(ByteBuffer src) {
        if (closing || outboundClosed || failure != null || !raw.isOpen()) {
            src.position(src.limit());
            return;
        }
        try {
            while (src.hasRemaining()) {
                SSLEngineResult result = wrap(src);
                if (result == null || result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    src.position(src.limit());
                    return;
                }
                if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runDelegatedTasks();
                }
                if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                    break;
                }
            }
        } catch (SSLException e) {
            src.position(src.limit());
            fail(e);
        }
    }

    /**
     * Loop only: the reactor's buffer for plaintext on its way to {@link #write(ByteBuffer)}, cleared,
     * {@value #SCRATCH_BYTES} bytes; free again once that write returns.
     */
    ByteBuffer staging() {
        return STAGING.get(raw).clear();
    }

    int write(int maxBytes, Consumer<? super ByteBuffer> encoder) {
        ByteBuffer staging = maxBytes <= SCRATCH_BYTES ? staging().limit(maxBytes)
                : ByteBuffer.allocateDirect(maxBytes);
        encoder.accept(staging);
        staging.flip();
        int written = staging.remaining();
        write(staging);
        return written;
    }

    void shutdownOutput() {
        if (!outboundClosed) {
            outboundClosed = true;
            engine.closeOutbound();
            sendCloseRecords();
        }
        raw.shutdownOutput();
    }

    void close() {
        if (closing) {
            return;
        }
        closing = true;
        if (!outboundClosed) {
            outboundClosed = true;
            engine.closeOutbound();
            sendCloseRecords();
        }
        raw.close();
    }

    void pauseReading() {
        paused = true;
        raw.pauseReading();
    }

    void resumeReading() {
        if (!paused) {
            return;
        }
        paused = false;
        raw.resumeReading();
        if (kept != null || finPending || (inboundDone && !inputClosedReported)) {
            raw.reactor().execute(this::presentKept);
        }
    }

    boolean isReadingPaused() {
        return paused;
    }

    boolean isInputClosed() {
        return inputClosedReported;
    }

    private void presentKept() {
        if (paused || closing || !raw.isOpen()) {
            return;
        }
        try {
            pump(NOTHING);
        } catch (SSLException e) {
            fail(e);
        }
    }

    /** Wraps close_notify (or an alert); a failure here only means the peer will not hear it. */
    private void sendCloseRecords() {
        try {
            while (!engine.isOutboundDone()) {
                SSLEngineResult result = wrap(NOTHING);
                if (result == null || result.bytesProduced() == 0) {
                    break;
                }
            }
        } catch (SSLException e) {
            LOG.debug("TLS close_notify on connection {} not sent: {}", raw.id(), e.toString());
        }
    }

    /**
     * Encrypts from {@code src} straight into the outbound queue; null when the connection took nothing.
     * The room asked for fits what {@code src} holds (and at most one pooled chunk) rather than the
     * engine's largest record: a room bigger than a chunk is allocated for that write alone, which for
     * small responses cost more than their encryption. An engine that wants its whole packet size says
     * so with BUFFER_OVERFLOW, and gets it from then on.
     */
    private SSLEngineResult wrap(ByteBuffer src) throws SSLException {
        SSLEngineResult result = wrapInto(wholePacketsOnly ? packetSize() : fittedRoom(src), src);
        if (!wholePacketsOnly && result != null && result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW
                && result.bytesProduced() == 0) {
            wholePacketsOnly = true;
            result = wrapInto(packetSize(), src);
        }
        return result;
    }

    private int packetSize() {
        return engine.getSession().getPacketBufferSize();
    }

    /** {@code src}'s bytes (up to one record's) plus the engine's largest record overhead, within one chunk. */
    private int fittedRoom(ByteBuffer src) {
        SSLSession session = engine.getSession();
        int overhead = session.getPacketBufferSize() - session.getApplicationBufferSize();
        int record = Math.min(src.remaining(), session.getApplicationBufferSize()) + overhead;
        return Math.min(record, Math.max(QUEUE_CHUNK, overhead + 1));
    }

    /**
     * Wraps into a room of the outbound queue; a room bigger than a queue chunk would be allocated for
     * that write alone, so such a record is made in the reactor's record buffer and copied instead.
     */
    private SSLEngineResult wrapInto(int room, ByteBuffer src) throws SSLException {
        if (room > QUEUE_CHUNK && room <= SCRATCH_BYTES) {
            if (!raw.isOpen()) {
                return null;
            }
            ByteBuffer record = RECORD.get(raw).clear();
            SSLEngineResult result = engine.wrap(src, record);
            raw.write(record.flip());
            return result;
        }
        wrapSource = src;
        wrapResult = null;
        try {
            raw.write(room, this);
        } catch (UncheckedIOException e) {
            throw (SSLException) e.getCause();
        } finally {
            wrapSource = null;
        }
        return wrapResult;
    }

    /** The encoder {@link #wrap} gives the outbound queue: one record into the queue's own chunk. */
    @Override
    public void accept(ByteBuffer room) {
        try {
            wrapResult = engine.wrap(wrapSource, room);
        } catch (SSLException e) {
            throw new UncheckedIOException(e); // queues nothing; unwrapped again in wrap()
        }
    }
}
