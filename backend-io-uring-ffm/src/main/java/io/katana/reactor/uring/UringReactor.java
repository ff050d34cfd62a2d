package io.katana.reactor.uring;

import io.katana.reactor.ReactorConfig;
import io.katana.reactor.spi.EventLoop;
import io.katana.reactor.spi.SlotTable;
import io.katana.reactor.spi.ffm.ErrnoException;
import io.katana.reactor.spi.ffm.FileCalls;
import io.katana.reactor.spi.ffm.FileHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reactor on one io_uring. Each operation's {@code user_data} is a {@link SlotTable} token (slot
 * and generation) with the operation's tag in its top bits, so a completion for a closed
 * registration, or for a reused fd, finds nothing. Everything the loop queues during an iteration
 * (receives to arm, sends, cancels, closes) goes to the kernel with the wait that ends it: one
 * {@code io_uring_enter} per iteration, its timeout the timer wheel's next deadline
 * ({@code IORING_ENTER_EXT_ARG}). Wakeups from other threads write an eventfd the ring keeps a read
 * pending on.
 *
 * <p>Native memory (ring parameters, the provided-buffer ring, call state) comes from one arena,
 * allocated when the reactor is built and closed when it ends.
 *
 * <p><b>Threading:</b> as {@link EventLoop}; {@link #wakeUp()} from any thread.
 */
final class UringReactor extends EventLoop implements IoUring.CompletionSink, FileHost {
    private static final Logger LOG = LoggerFactory.getLogger(UringReactor.class);
    private static final int RING_ENTRIES = 4096;
    private static final int PROVIDED_BUFFERS = 256;
    private static final int PROVIDED_BUFFER_SIZE = 16 * 1024;
    /**
     * The longest an inline send that nothing waits for stays unsettled while the loop sleeps: until
     * then its bytes still count as pending and its buffers are held, so a caller watching {@code
     * pendingOutboundBytes} sees the drain within this, not only at the next event.
     */
    private static final long SETTLE_WITHIN_NANOS = 1_000_000;

    private final UringReactorGroup group;
    private final Arena memory;
    private final SystemCalls calls;
    private final SystemCalls wakeCalls;
    private final IoUring ring;
    private final BufferRing buffers;
    private final SlotTable<Completion> slots = new SlotTable<>(256);
    private final int wakeFd;
    private final MemorySegment wakeValue;
    private final MemorySegment wakeSink;
    private final long wakeUserData;

    // Loop only.
    private final ConnectionRound rereads = new ConnectionRound();
    private final ConnectionRound unsettled = new ConnectionRound();
    private final Consumer<UringConnection> settle = connection -> {
        if (!connection.settleInlineSend()) {
            unsettled.add(connection); // not submitted yet: a failed enter
        }
    };
    private boolean released;
    private FileCalls fileCalls; // made on the first file sent

    UringReactor(UringReactorGroup group, ReactorConfig config, int index) {
        super(group, config, index);
        this.group = group;
        this.memory = Arena.ofShared();
        try {
            this.calls = new SystemCalls(memory);
            this.wakeCalls = new SystemCalls(memory);
            this.ring = IoUring.open(calls, memory, RING_ENTRIES);
            try {
                this.buffers = new BufferRing(ring, memory, PROVIDED_BUFFERS,
                        Math.min(PROVIDED_BUFFER_SIZE, config.readBufferSize()), 0);
                this.wakeFd = calls.eventfd();
                if (wakeFd < 0) {
                    throw SystemCalls.failure("eventfd", wakeFd);
                }
            } catch (ErrnoException | RuntimeException e) {
                ring.close();
                throw e;
            }
            this.wakeValue = memory.allocate(8, 8);
            wakeValue.set(ValueLayout.JAVA_LONG, 0, 1L);
            this.wakeSink = memory.allocate(8, 8);
            this.wakeUserData = userData(slots.add(new Wakeup()), Completion.WAKE);
            ring.read(wakeFd, wakeSink.address(), 8, wakeUserData);
        } catch (IOException e) {
            memory.close();
            throw new UncheckedIOException("cannot open io_uring reactor " + index + ": " + e.getMessage(), e);
        }
    }

    /** The {@code user_data} of operation {@code tag} of registration {@code token}. */
    static long userData(long token, int tag) {
        return token | (long) tag << SlotTable.TAG_SHIFT;
    }

    UringReactorGroup uringGroup() {
        return group;
    }

    /** Loop only. */
    SystemCalls calls() {
        return calls;
    }

    @Override
    public FileCalls fileCalls() {
        if (fileCalls == null) {
            fileCalls = new FileCalls(Libc.FILES, memory);
        }
        return fileCalls;
    }

    @Override
    public FileCalls.Functions fileFunctions() {
        return Libc.FILES;
    }

    /** Loop only. */
    IoUring ring() {
        return ring;
    }

    /** Loop only. */
    BufferRing providedBuffers() {
        return buffers;
    }

    /** Loop only. */
    SlotTable<Completion> slots() {
        return slots;
    }

    /** Loop only: whether the ring is gone. */
    boolean isReleased() {
        return released;
    }

    /**
     * Closes an fd: through the ring on the loop (cancelling what is pending on it), or with a
     * direct {@code close} off the loop or once the ring is gone.
     */
    @Override
    public void closeDescriptor(int fd) {
        if (!released && inEventLoop()) {
            try {
                ring.cancelAllAndClose(fd);
                return;
            } catch (IOException e) {
                LOG.debug("{}: closing fd {} through the ring failed; closing it directly", this, fd, e);
            }
            calls.close(fd);
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            new SystemCalls(arena).close(fd);
        }
    }

    /** Loop only: {@code connection} has received data to present after this round's completions. */
    void readAgainSoon(UringConnection connection) {
        rereads.add(connection);
    }

    /** Loop only: {@code connection} has queued an inline send, to settle once the ring has issued it. */
    void settleAfterIssue(UringConnection connection) {
        unsettled.add(connection);
    }

    /**
     * Settles the inline sends the ring has issued. Every completion they could have made is reaped
     * first, from the overflow list too, so a send without one has sent everything.
     */
    private void settleInlineSends() throws IOException {
        if (unsettled.isEmpty()) {
            return;
        }
        while (ring.completionsOverflowed()) {
            ring.flushOverflow();
            ring.reap(this);
        }
        unsettled.visitAll(settle); // settling lets a connection send again, which it adds for the next turn
    }

    @Override
    protected void poll(long timeoutNanos) throws IOException {
        // An inline send that succeeds ends no wait: when something follows it (more output, a close),
        // submit without waiting and settle it now. A lone response is settled after the next wake,
        // or SETTLE_WITHIN_NANOS.
        long timeout = !rereads.isEmpty() || unsettled.any(UringConnection::awaitsSettling) ? 0 : timeoutNanos;
        if (!unsettled.isEmpty() && (timeout < 0 || timeout > SETTLE_WITHIN_NANOS)) {
            timeout = SETTLE_WITHIN_NANOS;
        }
        ring.submitAndWait(timeout);
        markAwake();
        ring.reap(this);
        settleInlineSends();
        rereads.visitAll(UringConnection::readAgain); // presenting may add more, for the next turn
    }

    @Override
    public void complete(long userData, int result, int flags) {
        int tag = (int) (userData >>> SlotTable.TAG_SHIFT);
        if (tag == 0) {
            return; // a cancel or a close, reported only when it failed: nothing waits for it
        }
        Completion target = slots.get(userData);
        if (target != null) {
            target.complete(tag, result, flags);
        } else if ((flags & IoUring.CQE_F_BUFFER) != 0) {
            buffers.recycle(flags >>> IoUring.CQE_BUFFER_SHIFT); // data for a registration that is gone
        } else if (tag == Completion.ACCEPT && result >= 0) {
            calls.close(result); // accepted for a listener that has closed since: nobody else will close it
        }
    }

    @Override
    protected void wakeUp() {
        // An eventfd write fails only when the counter would overflow, after 2^64 wakeups.
        wakeCalls.write(wakeFd, wakeValue.address(), 8);
    }

    @Override
    protected void closeSelector() {
        for (Completion completion : slots.snapshot()) {
            try {
                completion.closeOnTermination();
            } catch (RuntimeException e) {
                LOG.warn("{}: releasing {} at termination failed", this, completion, e);
            }
        }
        try {
            // The closes queued just now, then what completed meanwhile: an accept that completed
            // after its listener closed holds a descriptor only this reactor can close.
            ring.submitAndWait(0);
            ring.reap(this);
            settleInlineSends(); // releases the gathering messages of the last inline sends
        } catch (IOException e) {
            LOG.debug("{}: submitting the last closes failed", this, e);
        }
        released = true;
        ring.close();
        calls.close(wakeFd);
        memory.close();
    }

    /** The eventfd read: its completion only ends the wait; it is read again for the next wakeup. */
    private final class Wakeup implements Completion {
        @Override
        public void complete(int tag, int result, int flags) {
            try {
                ring.read(wakeFd, wakeSink.address(), 8, wakeUserData);
            } catch (IOException e) {
                LOG.error("{}: re-arming the wakeup read failed; wakeups from other threads may be late", this, e);
            }
        }

        @Override
        public void closeOnTermination() {
            // closed with the ring
        }

        @Override
        public String toString() {
            return "wakeup eventfd of " + UringReactor.this;
        }
    }
}
