package io.katana.reactor.spi;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.KeptInputLimitException;
import io.katana.reactor.Reactor;
import io.katana.reactor.WaterMarks;
import io.katana.reactor.jfr.ConnectionClosedEvent;
import io.katana.reactor.jfr.ConnectionOpenedEvent;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The behaviour of a {@link Connection} that every backend shares: hand-off of calls made off the
 * reactor thread, the outbound queue and its water marks, keeping unconsumed input for the next read,
 * pause and resume, half-close, graceful close and abort, and the handler's callbacks with their
 * failure rule. A backend supplies the system calls: {@link #readInto}, {@link #writeOut}, the
 * interest changes, {@link #shutdownSocketOutput()}, {@link #closeSocket()} and the addresses; and,
 * to send files without copying them through the queue, {@link #openFile} and {@link #transferFile}.
 *
 * <p>The backend calls {@link #opened()} once the socket is registered, then {@link #readReady()}
 * and {@link #writeReady()} on readiness, and {@link #failed(Throwable)} on an error event.
 *
 * <p><b>Threading:</b> the public {@link Connection} methods from any thread; the protected and
 * package methods are loop only.
 */
public abstract class AbstractConnection implements Connection {
    private static final Logger LOG = LoggerFactory.getLogger(AbstractConnection.class);

    private static final VarHandle IN_FLIGHT;
    private static final VarHandle QUEUED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            IN_FLIGHT = lookup.findVarHandle(AbstractConnection.class, "inFlightBytes", long.class);
            QUEUED = lookup.findVarHandle(AbstractConnection.class, "queuedBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;

    /** Reads per readiness event when each read fills the buffer: enough to drain, bounded for fairness. */
    private static final int READS_PER_EVENT = 16;

    /** The most one {@link #transferFile} call is offered: below Linux's cap for one sendfile. */
    private static final long MAX_FILE_TRANSFER = 1L << 30;

    private static final String OFF_LOOP = "a loop-only method of a connection was called off its reactor thread";
    private final EventLoop loop;
    private final long id;
    private final WaterMarks waterMarks;
    private final ConnectionHandler handler;
    private final OutboundQueue outbound = new OutboundQueue();

    // Published to other threads.
    private volatile int state = OPEN;
    private volatile boolean unwritable;
    private volatile boolean readPaused;
    private volatile boolean inputClosed; // written by the loop only
    private volatile Object attachment;
    @SuppressWarnings("unused") // written by the loop with release stores through QUEUED
    private volatile long queuedBytes;
    @SuppressWarnings("unused") // added to by writers off the loop through IN_FLIGHT
    private volatile long inFlightBytes;

    // Loop only.
    int registryIndex = -1;
    private IoBuffer pendingInput;
    private boolean delivering;
    private boolean presentKept;
    private boolean presentKeptScheduled;
    private int callbackDepth;
    private boolean settlingWritability;
    private boolean reportedUnwritable;
    private boolean outputShutdownRequested;
    private boolean outputShutdown;
    private boolean waitingToWrite;
    private long openedAtNanos;
    private long bytesRead;
    private long bytesWritten;

    /**
     * Creates the shared state of a connection; the backend registers its socket and then calls
     * {@link #opened()}.
     *
     * @param loop the reactor that will own the connection and run all its callbacks
     * @param id from {@link AbstractReactorGroup#nextConnectionId()}: unique, never reused
     * @param waterMarks the outbound queue thresholds that switch writability
     * @param handler receives the connection's events, on {@code loop}'s thread
     */
    protected AbstractConnection(EventLoop loop, long id, WaterMarks waterMarks, ConnectionHandler handler) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.id = id;
        this.waterMarks = Objects.requireNonNull(waterMarks, "waterMarks");
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    // ---------------------------------------------------------------- backend system calls

    /**
     * Loop only: reads into {@code dst} from its position up to its limit.
     *
     * @param dst where the bytes go; its position is advanced past them
     * @return bytes read; 0 when nothing is available now; -1 at end of stream
     * @throws IOException if the socket failed (a reset, say); the connection then closes with it
     */
    protected abstract int readInto(ByteBuffer dst) throws IOException;

    /**
     * Loop only: writes the oldest {@code chunks} chunks of {@code queue} with one gathering call,
     * each from its position to its limit, without changing the queue (the caller advances it by what
     * was sent). A backend that cannot delay a short head (no cork, no {@code MSG_MORE}) may append
     * the first bytes of a file region that follows the chunks to the same call: bytes past the chunks
     * are counted as sent from that region.
     *
     * @param queue the connection's outbound queue
     * @param chunks how many of the oldest chunks to offer, at most {@link #maxGatherChunks()}
     * @return bytes the socket accepted, 0 when it accepts nothing now
     * @throws IOException if the socket failed; the connection then closes with it
     */
    protected abstract long writeOut(OutboundQueue queue, int chunks) throws IOException;

    /**
     * Opens a region of {@code file} for {@link #sendFile}, on the thread that called it. The default
     * opens a {@link ChannelFileRegion}; a backend that sends files its own way opens its own kind,
     * which {@link #transferFile} then receives.
     *
     * @param file the file to send from
     * @param position the first byte to send
     * @param count the bytes to send, at least 1
     * @return the region, owning the open file until it is released
     * @throws IOException if the file cannot be opened or is shorter than {@code position + count}
     */
    protected FileRegion openFile(Path file, long position, long count) throws IOException {
        return ChannelFileRegion.open(file, position, count);
    }

    /**
     * {@return whether this backend sends file regions itself, through {@link #transferFile}} The
     * default is false: the connection reads each region into its queue, one chunk at a time, just
     * before sending it, so a backend without a zero-copy path still sends files in order and holds
     * little of them in memory.
     */
    protected boolean transfersFiles() {
        return false;
    }

    /**
     * Loop only, when {@link #transfersFiles()}: sends up to {@code maxBytes} of {@code region}, the
     * oldest entry of the queue, from its position straight from the file to the socket, without
     * changing the region (the caller advances it by what was sent). Sending fewer than {@code
     * maxBytes} must mean that the socket is full, as for {@link #writeOut}.
     *
     * @param region a region this backend's {@link #openFile} opened
     * @param maxBytes the bytes to offer: the region's remaining bytes, at most 1 GiB (below what one
     *     {@code sendfile} call takes on Linux)
     * @return bytes the socket accepted, 0 when it accepts nothing now
     * @throws IOException if the socket failed, the file could not be read, or the file ends before the
     *     region ({@link FileRegion#truncated()}); the connection then closes with it
     */
    protected long transferFile(FileRegion region, long maxBytes) throws IOException {
        throw new UnsupportedOperationException(getClass().getName() + " does not transfer files itself");
    }

    /**
     * {@return the buffer the next read goes into while this connection keeps no bytes of its own}
     * Loop only; cleared before {@link #readInto} gets it. The default is the reactor's shared read
     * buffer. A backend whose kernel has already written the bytes into a buffer of the backend's
     * (io_uring's provided buffers) returns that buffer, and its {@code readInto} then only sets the
     * position past the bytes: the handler reads them where the kernel put them. Either way the
     * buffer belongs to the backend again once {@code onRead} returns, the bytes the handler left
     * having been copied out.
     */
    protected ByteBuffer sharedReadTarget() {
        return loop.readBuffer().buffer();
    }

    /**
     * {@return the most chunks one gathering write may take} The default is 1024, {@code IOV_MAX} on
     * Linux; a backend whose call takes fewer overrides it.
     */
    protected int maxGatherChunks() {
        return 1024;
    }

    /**
     * Loop only: asks for read readiness, or stops asking. Called on pause and resume, at the end of
     * input and when a close begins, so a connection that is not reading costs the poller nothing.
     *
     * @param on true to be told when the socket is readable
     */
    protected abstract void setReadInterest(boolean on);

    /**
     * Loop only: asks for write readiness, or stops asking. Called only while the socket has refused
     * bytes, so a connection that keeps up never pays for write events.
     *
     * @param on true to be told when the socket is writable again
     */
    protected abstract void setWriteInterest(boolean on);

    /**
     * Loop only: sends FIN, once everything queued before {@link #shutdownOutput()} is written.
     *
     * @throws IOException if the socket failed; the connection then closes with it
     */
    protected abstract void shutdownSocketOutput() throws IOException;

    /** Loop only, once: closes the socket and forgets its registration. Must not throw. */
    protected abstract void closeSocket();

    /**
     * Loop only, just before the {@link #closeSocket()} of an {@link #abort()} of a connection that has
     * written something (or has a {@link #writeInFlight()}): makes that close reset the connection ({@code SO_LINGER} 0), so the kernel
     * drops what is still unsent and the peer learns at once. A plain close of a socket whose peer does not read leaves the kernel holding
     * the unsent bytes (megabytes per socket) and retrying for minutes after the descriptor is gone.
     * Must not throw; the default does nothing.
     */
    protected void resetOnClose() {}

    /**
     * {@return whether bytes were handed to the kernel and their outcome is not known yet} Loop only.
     * A completion-based backend (io_uring) learns what a send took only when it completes, so an
     * abort in between must still reset the connection: those bytes may already sit in the socket. The
     * default, for backends whose writes return what they took, is false.
     */
    protected boolean writeInFlight() {
        return false;
    }

    // ---------------------------------------------------------------- backend entry points

    /** Loop only: an accepted socket is registered; records the connection and tells the handler. */
    protected final void opened() {
        opened(false);
    }

    /** Loop only: an outgoing socket is connected and registered; as {@link #opened()}. */
    protected final void openedOutgoing() {
        opened(true);
    }

    private void opened(boolean outgoing) {
        assert loop.inEventLoop() : OFF_LOOP;
        loop.register(this);
        openedAtNanos = System.nanoTime();
        if (outgoing) {
            loop.counters().countConnected();
        } else {
            loop.counters().countAccepted();
        }
        ConnectionOpenedEvent event = new ConnectionOpenedEvent();
        if (event.isEnabled()) {
            event.connectionId = id;
            event.backend = loop.group().backend();
            event.remoteAddress = String.valueOf(remoteAddress());
            event.outgoing = outgoing;
            event.commit();
        }
        callbackDepth++;
        try {
            handler.onOpen(this);
        } catch (Throwable t) {
            handlerFailed("onOpen", t);
        } finally {
            exitCallback();
        }
    }

    /** Loop only: the socket is readable. Reads, hands the bytes to the handler, keeps what it leaves. */
    protected final void readReady() {
        assert loop.inEventLoop() : OFF_LOOP;
        for (int reads = 0; reads < READS_PER_EVENT; reads++) {
            if (state != OPEN || readPaused || inputClosed) {
                return;
            }
            if (presentKept) {
                // Resumed with bytes kept from before: they come first, before any newer byte and
                // before end of stream, whichever of this read and the presenting task runs first.
                presentKept = false;
                if (hasKeptInput()) {
                    deliver(pendingInput.buffer(), false);
                    continue;
                }
            }
            boolean shared = pendingInput == null;
            ByteBuffer target;
            if (shared) {
                target = sharedReadTarget();
                target.clear();
            } else {
                target = pendingInputWithRoom();
            }
            int space = target.remaining();
            int n;
            try {
                n = readInto(target);
            } catch (IOException e) {
                failed(e);
                return;
            }
            if (n == 0) {
                return;
            }
            if (n < 0) {
                inputEnded();
                return;
            }
            bytesRead += n;
            loop.counters().addBytesRead(n);
            deliver(target, shared);
            if (n < space) {
                return; // the socket had no more: another read would only say so
            }
        }
    }

    /** Loop only: the socket is writable again. */
    protected final void writeReady() {
        assert loop.inEventLoop() : OFF_LOOP;
        if (state != CLOSED) {
            flushQueue();
        }
    }

    /**
     * Loop only: the socket failed (reset, error event); closes with {@code cause}, dropping what is
     * queued.
     *
     * @param cause the failure, passed to the handler's {@link ConnectionHandler#onClose}
     */
    protected final void failed(Throwable cause) {
        assert loop.inEventLoop() : OFF_LOOP;
        finishClose(cause);
    }

    /** {@return the reactor that owns this connection, as the backend's own type} Loop only. */
    protected final EventLoop loop() {
        return loop;
    }

    /**
     * {@return whether this connection wants read readiness now (open, not paused, input not ended)}
     * A backend consults it when it registers the socket or computes its interest set.
     */
    protected final boolean wantsToRead() {
        return state == OPEN && !readPaused && !inputClosed;
    }

    /**
     * {@return whether this connection wants write readiness now: the socket refused bytes that are
     * still queued}
     */
    protected final boolean wantsToWrite() {
        return waitingToWrite;
    }

    /**
     * {@return whether something waits for the write in flight to finish: bytes queued behind it, a
     * close or an output shutdown due once the queue drains, or a handler that heard the connection
     * became unwritable} Loop only. A backend that learns late that a write finished (io_uring's
     * inline sends, which complete silently) must learn it before its next wait when this is true.
     *
     * @param inFlight the bytes of the write in flight, still counted in the queue
     */
    protected final boolean awaitsWriteCompletion(long inFlight) {
        return state != OPEN || outputShutdownRequested || unwritable || pendingOutboundBytes() > inFlight;
    }

    // ---------------------------------------------------------------- Connection

    @Override
    public final long id() {
        return id;
    }

    @Override
    public final Reactor reactor() {
        return loop;
    }

    @Override
    public final void write(ByteBuffer src) {
        if (loop.inEventLoop()) {
            writeOnLoop(src, 0);
            return;
        }
        ByteBuffer copy = copyOf(src);
        long n = copy.remaining();
        IN_FLIGHT.getAndAdd(this, n);
        if (!handOff(() -> writeOnLoop(copy, n))) {
            IN_FLIGHT.getAndAdd(this, -n);
        }
    }

    @Override
    public final int write(int maxBytes, Consumer<? super ByteBuffer> encoder) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, got " + maxBytes);
        }
        Objects.requireNonNull(encoder, "encoder");
        if (loop.inEventLoop()) {
            if (state != OPEN || outputShutdownRequested) {
                return 0; // documented: the encoder is not called after close or shutdownOutput
            }
            int n = outbound.encode(maxBytes, encoder, loop.buffers());
            publishQueued();
            checkHighWaterMark();
            return n;
        }
        ByteBuffer staging = ByteBuffer.allocate(maxBytes);
        encoder.accept(staging);
        staging.flip();
        int n = staging.remaining();
        IN_FLIGHT.getAndAdd(this, (long) n);
        if (!handOff(() -> writeOnLoop(staging, n))) {
            IN_FLIGHT.getAndAdd(this, (long) -n);
        }
        return n;
    }

    @Override
    public final void writeShared(ByteBuffer src) {
        if (!src.isDirect()) {
            write(src); // a heap buffer has no address to hand the socket: copied
            return;
        }
        if (loop.inEventLoop()) {
            writeSharedOnLoop(src, 0);
            return;
        }
        ByteBuffer view = src.duplicate();
        src.position(src.limit());
        long n = view.remaining();
        IN_FLIGHT.getAndAdd(this, n);
        if (!handOff(() -> writeSharedOnLoop(view, n))) {
            IN_FLIGHT.getAndAdd(this, -n);
        }
    }

    @Override
    public final void sendFile(Path file, long position, long count) throws IOException {
        Objects.requireNonNull(file, "file");
        FileRegions.checkArguments(position, count);
        if (count == 0) {
            FileRegions.checkWithin(file, Files.size(file), position, 0); // nothing to send, but say if it is wrong
            return;
        }
        FileRegion region = openFile(file, position, count);
        if (loop.inEventLoop()) {
            sendFileOnLoop(region, 0);
            return;
        }
        IN_FLIGHT.getAndAdd(this, count);
        if (!handOff(() -> sendFileOnLoop(region, count))) {
            IN_FLIGHT.getAndAdd(this, -count);
            region.release();
        }
    }

    @Override
    public final void flush() {
        if (loop.inEventLoop()) {
            flushOnLoop();
        } else {
            handOff(this::flushOnLoop);
        }
    }

    @Override
    public final void writeAndFlush(ByteBuffer src) {
        if (loop.inEventLoop()) {
            writeOnLoop(src, 0);
            flushOnLoop();
            return;
        }
        ByteBuffer copy = copyOf(src);
        long n = copy.remaining();
        IN_FLIGHT.getAndAdd(this, n);
        if (!handOff(() -> {
            writeOnLoop(copy, n);
            flushOnLoop();
        })) {
            IN_FLIGHT.getAndAdd(this, -n);
        }
    }

    @Override
    public final boolean isWritable() {
        return !unwritable && pendingOutboundBytes() <= waterMarks.high();
    }

    @Override
    public final long pendingOutboundBytes() {
        return (long) QUEUED.getAcquire(this) + (long) IN_FLIGHT.getAcquire(this);
    }

    @Override
    public final void pauseReading() {
        if (loop.inEventLoop()) {
            pauseOnLoop();
        } else {
            handOff(this::pauseOnLoop);
        }
    }

    @Override
    public final void resumeReading() {
        if (loop.inEventLoop()) {
            resumeOnLoop();
        } else {
            handOff(this::resumeOnLoop);
        }
    }

    @Override
    public final boolean isReadingPaused() {
        return readPaused;
    }

    @Override
    public final boolean isInputClosed() {
        return inputClosed;
    }

    @Override
    public final void shutdownOutput() {
        if (loop.inEventLoop()) {
            shutdownOutputOnLoop();
        } else {
            handOff(this::shutdownOutputOnLoop);
        }
    }

    @Override
    public final void close() {
        if (loop.inEventLoop()) {
            closeOnLoop();
        } else {
            handOff(this::closeOnLoop);
        }
    }

    @Override
    public final void abort() {
        if (loop.inEventLoop()) {
            abortOnLoop();
        } else {
            handOff(this::abortOnLoop);
        }
    }

    @Override
    public final boolean isOpen() {
        return state != CLOSED;
    }

    @Override
    public final Object attachment() {
        return attachment;
    }

    @Override
    public final void attach(Object value) {
        attachment = value;
    }

    @Override
    public String toString() {
        return "Connection#" + id + "[" + remoteAddress() + " -> " + localAddress() + ", "
                + (state == OPEN ? "open" : state == CLOSING ? "closing" : "closed") + "]";
    }

    // ---------------------------------------------------------------- loop-side logic

    /**
     * @param handedOff bytes of {@code src} counted as in flight by a write made off the loop; they
     *     stop counting only once they are published as queued, so that {@link
     *     #pendingOutboundBytes()} never dips in between
     */
    private void writeOnLoop(ByteBuffer src, long handedOff) {
        if (state != OPEN || outputShutdownRequested) {
            src.position(src.limit()); // documented: writes after close or shutdownOutput are discarded
            IN_FLIGHT.getAndAdd(this, -handedOff);
            return;
        }
        if (src.hasRemaining()) {
            outbound.append(src, loop.buffers());
            publishQueued();
        }
        if (handedOff != 0) {
            IN_FLIGHT.getAndAdd(this, -handedOff);
        }
        checkHighWaterMark();
    }

    private void writeSharedOnLoop(ByteBuffer src, long handedOff) {
        if (state != OPEN || outputShutdownRequested) {
            src.position(src.limit());
            IN_FLIGHT.getAndAdd(this, -handedOff);
            return;
        }
        outbound.appendShared(src);
        publishQueued();
        if (handedOff != 0) {
            IN_FLIGHT.getAndAdd(this, -handedOff);
        }
        checkHighWaterMark();
    }

    private void sendFileOnLoop(FileRegion region, long handedOff) {
        if (state != OPEN || outputShutdownRequested) {
            region.release(); // discarded, as writes after close or shutdownOutput are
            IN_FLIGHT.getAndAdd(this, -handedOff);
            return;
        }
        outbound.appendRegion(region);
        publishQueued();
        if (handedOff != 0) {
            IN_FLIGHT.getAndAdd(this, -handedOff);
        }
        checkHighWaterMark();
    }

    private void checkHighWaterMark() {
        if (!unwritable && pendingOutboundBytes() > waterMarks.high()) {
            unwritable = true;
            settleWritability(); // at once from a task; after the callback returns from inside one
        }
    }

    private void flushOnLoop() {
        if (state == CLOSED || waitingToWrite) {
            return; // when waiting, writeReady flushes as soon as the socket takes more
        }
        flushQueue();
    }

    private void flushQueue() {
        while (true) {
            while (!outbound.isEmpty()) {
                long attempted;
                long written;
                try {
                    FileRegion region = outbound.headRegion();
                    if (region != null && !transfersFiles()) {
                        outbound.stageHeadRegion(loop.buffers()); // now a chunk heads the queue
                        continue;
                    }
                    if (region != null) {
                        attempted = Math.min(region.remaining(), MAX_FILE_TRANSFER);
                        written = transferFile(region, attempted);
                    } else {
                        int chunks = Math.min(outbound.leadingBuffers(), maxGatherChunks());
                        attempted = outbound.bytesInFirst(chunks);
                        written = writeOut(outbound, chunks);
                    }
                } catch (IOException e) {
                    failed(e);
                    return;
                }
                outbound.consume(written, loop.buffers());
                publishQueued();
                bytesWritten += written;
                loop.counters().addBytesWritten(written);
                if (written < attempted) {
                    // A short write means the socket buffer is full: wait for readiness, not another try.
                    if (!waitingToWrite) {
                        waitingToWrite = true;
                        setWriteInterest(true);
                    }
                    checkLowWaterMark();
                    return;
                }
            }
            if (waitingToWrite) {
                waitingToWrite = false;
                setWriteInterest(false);
            }
            // The handler hears it is writable again here, and may write and even close from inside:
            // only a queue still empty afterwards may finish a close or a shutdown.
            checkLowWaterMark();
            if (state == CLOSED || waitingToWrite) {
                return;
            }
            if (outbound.isEmpty()) {
                break;
            }
        }
        if (state == CLOSING) {
            finishClose(null);
        } else if (outputShutdownRequested && !outputShutdown) {
            shutdownNow();
        }
    }

    private void checkLowWaterMark() {
        settleWritability();
    }

    private void pauseOnLoop() {
        if (readPaused) {
            return;
        }
        readPaused = true;
        if (state == OPEN && !inputClosed) {
            setReadInterest(false);
        }
    }

    private void resumeOnLoop() {
        if (!readPaused) {
            return;
        }
        readPaused = false;
        if (state != OPEN || inputClosed) {
            return;
        }
        // The kept bytes are presented again before anything else, with no new input needed. Inside
        // onRead they are not kept yet: deliver schedules their presentation once it has kept them.
        presentKept = true;
        if (hasKeptInput()) {
            schedulePresentKept();
        }
        setReadInterest(true);
    }

    private boolean hasKeptInput() {
        return pendingInput != null && pendingInput.buffer().position() > 0;
    }

    /**
     * Presents the kept bytes from a task, never from inside another callback. A read that comes
     * first presents them itself (see {@link #readReady()}), so end of stream cannot overtake them.
     */
    private void schedulePresentKept() {
        if (presentKeptScheduled) {
            return;
        }
        presentKeptScheduled = true;
        loop.execute(this::presentKeptInput);
    }

    private void presentKeptInput() {
        presentKeptScheduled = false;
        if (!presentKept || state != OPEN || readPaused || inputClosed) {
            return;
        }
        presentKept = false;
        if (hasKeptInput()) {
            deliver(pendingInput.buffer(), false);
        }
    }

    private void shutdownOutputOnLoop() {
        if (state != OPEN || outputShutdownRequested) {
            return;
        }
        outputShutdownRequested = true;
        if (outbound.isEmpty()) {
            shutdownNow();
        } else if (!waitingToWrite) {
            flushQueue();
        }
    }

    private void shutdownNow() {
        outputShutdown = true;
        try {
            shutdownSocketOutput();
        } catch (IOException e) {
            failed(e);
        }
    }

    private void abortOnLoop() {
        if (state == CLOSED) {
            return;
        }
        if (bytesWritten > 0 || writeInFlight()) {
            resetOnClose(); // only what the socket accepted can be left in the kernel
        }
        finishClose(null);
    }

    private void closeOnLoop() {
        if (state != OPEN) {
            return;
        }
        state = CLOSING;
        if (!readPaused && !inputClosed) {
            setReadInterest(false);
        }
        if (outbound.isEmpty()) {
            finishClose(null);
        } else if (!waitingToWrite) {
            flushQueue();
        }
    }

    private void finishClose(Throwable cause) {
        if (state == CLOSED) {
            return;
        }
        state = CLOSED;
        BufferPool pool = loop.buffers();
        outbound.clear(pool);
        publishQueued();
        if (pendingInput != null && !delivering) {
            pool.release(pendingInput);
            pendingInput = null;
        }
        closeSocket();
        loop.deregister(this);
        loop.counters().countClosed(cause != null);
        ConnectionClosedEvent event = new ConnectionClosedEvent();
        if (event.isEnabled()) {
            event.connectionId = id;
            event.backend = loop.group().backend();
            event.remoteAddress = String.valueOf(remoteAddress());
            event.bytesRead = bytesRead;
            event.bytesWritten = bytesWritten;
            event.cause = cause == null ? null : cause.getClass().getName() + ": " + cause.getMessage();
            event.lifetime = System.nanoTime() - openedAtNanos;
            event.commit();
        }
        try {
            handler.onClose(this, cause);
        } catch (Throwable t) {
            LOG.warn("{}: onClose threw; ignored", this, t);
        }
    }

    /** Loop only: the group shuts down gracefully; the handler decides when to close (see {@link ConnectionHandler#onShutdown}). */
    final void shutdownRequested() {
        assert loop.inEventLoop() : OFF_LOOP;
        if (state != OPEN) {
            return;
        }
        callbackDepth++;
        try {
            handler.onShutdown(this);
        } catch (Throwable t) {
            handlerFailed("onShutdown", t);
        } finally {
            exitCallback();
        }
    }

    private void inputEnded() {
        inputClosed = true;
        setReadInterest(false);
        callbackDepth++;
        try {
            handler.onInputClosed(this);
        } catch (Throwable t) {
            handlerFailed("onInputClosed", t);
        } finally {
            exitCallback();
        }
    }

    /**
     * Hands {@code data} (in write mode: bytes from 0 to its position) to the handler, then keeps what
     * it left unconsumed. {@code shared} says whether {@code data} is the reactor's read buffer, whose
     * leftovers must be copied out, or this connection's own pending-input buffer.
     */
    private void deliver(ByteBuffer data, boolean shared) {
        data.flip();
        delivering = true;
        callbackDepth++;
        try {
            handler.onRead(this, data);
        } catch (Throwable t) {
            delivering = false;
            handlerFailed("onRead", t);
        } finally {
            delivering = false;
        }
        try {
            keepUnconsumed(data, shared);
        } finally {
            exitCallback(); // writability changes the handler caused come now, after onRead
        }
    }

    private void keepUnconsumed(ByteBuffer data, boolean shared) {
        if (state == CLOSED) {
            if (!shared && pendingInput != null) {
                loop.buffers().release(pendingInput);
                pendingInput = null;
            }
            return;
        }
        if (data.hasRemaining()) {
            if (shared) {
                IoBuffer kept = loop.buffers().acquire(data.remaining());
                kept.buffer().put(data);
                pendingInput = kept;
            } else {
                data.compact();
            }
            int kept = pendingInput.buffer().position();
            if (kept > loop.maxKeptInputBytes()) {
                failed(new KeptInputLimitException(kept, loop.maxKeptInputBytes()));
                return;
            }
            if (presentKept && !readPaused && !inputClosed) {
                schedulePresentKept(); // resumed inside this very onRead: present them again, unasked
            }
        } else if (!shared) {
            loop.buffers().release(pendingInput);
            pendingInput = null;
        }
    }

    /** The pending-input buffer in write mode with room for at least one more read. */
    private ByteBuffer pendingInputWithRoom() {
        ByteBuffer kept = pendingInput.buffer();
        if (kept.hasRemaining()) {
            return kept;
        }
        IoBuffer larger = loop.buffers().acquire(Math.max(kept.capacity() * 2, loop.readBuffer().capacity()));
        kept.flip();
        larger.buffer().put(kept);
        loop.buffers().release(pendingInput);
        pendingInput = larger;
        return larger.buffer();
    }

    private void fireWritability(boolean writable) {
        callbackDepth++;
        try {
            handler.onWritabilityChanged(this, writable);
        } catch (Throwable t) {
            handlerFailed("onWritabilityChanged", t);
        } finally {
            callbackDepth--; // settleWritability, the only caller, goes on with what the handler changed
        }
    }

    /** Ends a callback; once none is running, tells the handler what changed meanwhile. */
    private void exitCallback() {
        if (--callbackDepth == 0) {
            settleWritability();
        }
    }

    /**
     * Brings the handler up to date with the connection's writability, one change per callback, in
     * order, but never inside another callback: inside one, a write may turn the connection unwritable
     * (isWritable answers false at once) while the news waits, and it turns writable again only here,
     * so a handler that saw false always hears false and then true. Loop only.
     */
    private void settleWritability() {
        if (settlingWritability || callbackDepth > 0) {
            return;
        }
        settlingWritability = true;
        try {
            while (state != CLOSED && callbackDepth == 0) {
                if (unwritable != reportedUnwritable) {
                    reportedUnwritable = unwritable;
                    fireWritability(!unwritable);
                } else if (unwritable && pendingOutboundBytes() < waterMarks.low()) {
                    unwritable = false;
                } else {
                    return;
                }
            }
        } finally {
            settlingWritability = false;
        }
    }

    private void handlerFailed(String callback, Throwable t) {
        if (state == CLOSED) {
            LOG.warn("{}: handler's {} threw after close; ignored", this, callback, t);
            return;
        }
        LOG.warn("{}: handler's {} threw; closing this connection only", this, callback, t);
        finishClose(t);
    }

    private void publishQueued() {
        QUEUED.setRelease(this, outbound.bytes());
    }

    /** Runs {@code action} on the loop; false if the reactor has ended (and closed every connection). */
    private boolean handOff(Runnable action) {
        try {
            loop.execute(action);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private static ByteBuffer copyOf(ByteBuffer src) {
        ByteBuffer copy = ByteBuffer.allocate(src.remaining());
        copy.put(src).flip();
        return copy;
    }
}
