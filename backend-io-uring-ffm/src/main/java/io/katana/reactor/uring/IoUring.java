package io.katana.reactor.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.katana.reactor.spi.ffm.Errno;
import io.katana.reactor.spi.ffm.ErrnoException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.invoke.VarHandle;

/**
 * One io_uring instance: the submission and completion rings and the SQE array mapped as memory
 * segments, heads and tails read with acquire and written with release ordering. Set up with
 * {@code SINGLE_ISSUER | DEFER_TASKRUN} where the kernel takes it (completions then run only when
 * this ring's own thread waits for them, never as an interrupt of it), else {@code COOP_TASKRUN},
 * else no flag; always {@code SUBMIT_ALL}, and created disabled so that the reactor's thread, which
 * enables it, becomes its single issuer.
 *
 * <p>SQEs are prepared in place and submitted in one {@code io_uring_enter} with the wait for
 * completions ({@link #submitAndWait}); only a full submission queue forces an earlier submit.
 *
 * <p><b>Threading:</b> loop only, after {@link #open} (which may run on any thread).
 */
final class IoUring {
    // opcodes (enum io_uring_op)
    static final int OP_POLL_ADD = 6;
    static final int OP_SENDMSG = 9;
    static final int OP_ACCEPT = 13;
    static final int OP_ASYNC_CANCEL = 14;
    static final int OP_CLOSE = 19;
    static final int OP_READ = 22;
    static final int OP_SEND = 26;
    static final int OP_RECV = 27;
    /** Every operation this backend submits; the availability probe checks each. */
    static final int[] OPS_USED = {OP_POLL_ADD, OP_SENDMSG, OP_ACCEPT, OP_ASYNC_CANCEL, OP_CLOSE, OP_READ, OP_SEND, OP_RECV};

    // setup flags
    static final int SETUP_CQSIZE = 1 << 3;
    static final int SETUP_R_DISABLED = 1 << 6;
    static final int SETUP_SUBMIT_ALL = 1 << 7;
    static final int SETUP_COOP_TASKRUN = 1 << 8;
    static final int SETUP_SINGLE_ISSUER = 1 << 12;
    static final int SETUP_DEFER_TASKRUN = 1 << 13;

    // features the backend relies on
    static final int FEAT_SINGLE_MMAP = 1;
    static final int FEAT_NODROP = 1 << 1;
    static final int FEAT_FAST_POLL = 1 << 5;
    static final int FEAT_EXT_ARG = 1 << 8;
    static final int FEAT_CQE_SKIP = 1 << 11;

    // sqe flags, ioprio and op flags
    static final int SQE_BUFFER_SELECT = 1 << 5;
    static final int SQE_CQE_SKIP_SUCCESS = 1 << 6;
    static final int RECV_MULTISHOT = 1 << 1;
    static final int ACCEPT_MULTISHOT = 1;
    static final int CANCEL_ALL = 1;
    static final int CANCEL_FD = 1 << 1;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_WAITALL = 0x100;
    static final int MSG_MORE = 0x8000;
    /** In the SQ ring's flags: completions wait in the kernel's overflow list, the CQ ring being full. */
    private static final int SQ_CQ_OVERFLOW = 1 << 1;
    /**
     * Accepted sockets are close-on-exec but blocking: a blocking socket's send or receive that the
     * kernel hands to an io-wq worker waits for room or data there, where a non-blocking one would
     * complete with {@code EAGAIN}. The ring never blocks this thread either way.
     */
    static final int SOCK_CLOEXEC = 0x80000;

    // cqe flags
    static final int CQE_F_BUFFER = 1;
    static final int CQE_F_MORE = 1 << 1;
    static final int CQE_BUFFER_SHIFT = 16;

    // enter flags, register opcodes
    private static final int ENTER_GETEVENTS = 1;
    private static final int ENTER_EXT_ARG = 1 << 3;
    static final int REGISTER_PROBE = 8;
    private static final int REGISTER_ENABLE_RINGS = 12;
    static final int REGISTER_PBUF_RING = 22;

    private static final long OFF_CQ_RING = 0x8000000L;
    private static final long OFF_SQES = 0x10000000L;
    private static final int SQE_SIZE = 64;
    private static final int CQE_SIZE = 16;
    private static final int PARAMS_SIZE = 120;
    private static final int ETIME = 62;
    /** The result of an operation that was cancelled. */
    static final int ECANCELED = 125;
    private static final int EBUSY = 16;

    private static final VarHandle INT = JAVA_INT.varHandle();

    private final SystemCalls calls;
    private final int fd;
    private final int setupFlags;
    private final int features;
    private final MemorySegment rings;
    private final long ringsLength;
    private final MemorySegment sqes;
    private final long sqesLength;
    private final int sqEntries;
    private final int sqMask;
    private final long sqHeadOffset;
    private final long sqTailOffset;
    private final long sqFlagsOffset;
    private final int cqMask;
    private final long cqHeadOffset;
    private final long cqTailOffset;
    private final long cqesOffset;
    private final MemorySegment waitArgument;
    private final MemorySegment timeout;

    // Loop only.
    private int sqTail;
    private int sqSubmitted;
    private int cqHead;
    private boolean enabled;

    private IoUring(SystemCalls calls, int fd, int setupFlags, MemorySegment params, SegmentAllocator allocator)
            throws ErrnoException {
        this.calls = calls;
        this.fd = fd;
        this.setupFlags = setupFlags;
        this.features = params.get(JAVA_INT, 20);
        this.sqEntries = params.get(JAVA_INT, 0);
        int cqEntries = params.get(JAVA_INT, 4);
        this.sqHeadOffset = params.get(JAVA_INT, 40);
        this.sqTailOffset = params.get(JAVA_INT, 44);
        this.sqFlagsOffset = params.get(JAVA_INT, 56);
        this.sqMask = sqEntries - 1; // the kernel rounds both sizes up to powers of two
        long sqArrayOffset = params.get(JAVA_INT, 64);
        this.cqHeadOffset = params.get(JAVA_INT, 80);
        this.cqTailOffset = params.get(JAVA_INT, 84);
        this.cqMask = cqEntries - 1;
        this.cqesOffset = params.get(JAVA_INT, 100);
        String missing = missingFeatures(features);
        if (missing != null) {
            throw new ErrnoException("io_uring_setup (the kernel lacks " + missing + ")", Errno.ENOSYS);
        }
        this.ringsLength = Math.max(sqArrayOffset + 4L * sqEntries, cqesOffset + (long) CQE_SIZE * cqEntries);
        long ringsAddress = calls.mmap(ringsLength, fd, 0);
        if (ringsAddress < 0) {
            throw SystemCalls.failure("mmap io_uring rings", ringsAddress);
        }
        this.rings = MemorySegment.ofAddress(ringsAddress).reinterpret(ringsLength);
        this.sqesLength = (long) SQE_SIZE * sqEntries;
        long sqesAddress = calls.mmap(sqesLength, fd, OFF_SQES);
        if (sqesAddress < 0) {
            calls.munmap(ringsAddress, ringsLength);
            throw SystemCalls.failure("mmap io_uring SQEs", sqesAddress);
        }
        this.sqes = MemorySegment.ofAddress(sqesAddress).reinterpret(sqesLength);
        for (int i = 0; i < sqEntries; i++) {
            rings.set(JAVA_INT, sqArrayOffset + 4L * i, i); // SQE i sits in array slot i, once and for all
        }
        this.sqTail = (int) INT.getAcquire(rings, sqTailOffset);
        this.sqSubmitted = sqTail;
        this.cqHead = (int) INT.getAcquire(rings, cqHeadOffset);
        MemorySegment wait = allocator.allocate(48, 16);
        this.waitArgument = wait.asSlice(0, 24);
        this.timeout = wait.asSlice(32, 16);
        waitArgument.set(JAVA_INT, 8, 8); // sigmask size (_NSIG / 8); no sigmask is passed
        waitArgument.set(JAVA_LONG, 16, timeout.address());
    }

    /** What the backend needs and {@code features} lacks, or null. */
    static String missingFeatures(int features) {
        if ((features & FEAT_SINGLE_MMAP) == 0) return "IORING_FEAT_SINGLE_MMAP (Linux 5.4)";
        if ((features & FEAT_NODROP) == 0) return "IORING_FEAT_NODROP (Linux 5.5)";
        if ((features & FEAT_FAST_POLL) == 0) return "IORING_FEAT_FAST_POLL (Linux 5.7)";
        if ((features & FEAT_EXT_ARG) == 0) return "IORING_FEAT_EXT_ARG (Linux 5.11)";
        if ((features & FEAT_CQE_SKIP) == 0) return "IORING_FEAT_CQE_SKIP (Linux 5.17)";
        return null;
    }

    /**
     * Sets up a ring of {@code entries} submission entries (four times as many completion entries),
     * with the best task-running flags the kernel accepts.
     *
     * @throws ErrnoException if the kernel refuses every variant, or lacks a feature
     */
    static IoUring open(SystemCalls calls, SegmentAllocator allocator, int entries) throws ErrnoException {
        int[] variants = {
            SETUP_SINGLE_ISSUER | SETUP_DEFER_TASKRUN | SETUP_R_DISABLED,
            SETUP_COOP_TASKRUN,
            0,
        };
        MemorySegment params = allocator.allocate(PARAMS_SIZE, 8);
        int result = -Errno.EINVAL;
        for (int variant : variants) {
            int flags = variant | SETUP_SUBMIT_ALL | SETUP_CQSIZE;
            params.fill((byte) 0);
            params.set(JAVA_INT, 4, entries * 4);
            params.set(JAVA_INT, 8, flags);
            result = calls.ioUringSetup(entries, params);
            if (result >= 0) {
                try {
                    return new IoUring(calls, result, flags, params, allocator);
                } catch (ErrnoException | RuntimeException e) {
                    calls.close(result);
                    throw e;
                }
            }
            if (result != -Errno.EINVAL) {
                break; // EPERM, ENOSYS, ENOMEM: no other flag set would change the answer
            }
        }
        throw SystemCalls.failure("io_uring_setup", result);
    }

    int fd() {
        return fd;
    }

    int setupFlags() {
        return setupFlags;
    }

    /**
     * Whether the kernel supports every opcode in {@code opcodes}, by {@code IORING_REGISTER_PROBE}.
     *
     * @return null when all are supported, else the first missing opcode's number as text
     */
    String unsupportedOp(SegmentAllocator allocator, int... opcodes) throws ErrnoException {
        MemorySegment probe = allocator.allocate(16 + 8 * 256, 8);
        int result = calls.ioUringRegister(fd, REGISTER_PROBE, probe.address(), 256);
        if (result < 0) {
            throw SystemCalls.failure("io_uring_register PROBE", result);
        }
        int opsLength = Byte.toUnsignedInt(probe.get(JAVA_BYTE, 1));
        for (int op : opcodes) {
            if (op >= opsLength || (probe.get(JAVA_SHORT, 16 + 8L * op + 2) & 1) == 0) {
                return "opcode " + op;
            }
        }
        return null;
    }

    /** {@code io_uring_register(fd, opcode, arg, count)}: the result, or {@code -errno}. */
    int register(int opcode, long arg, int count) {
        return calls.ioUringRegister(fd, opcode, arg, count);
    }

    // ---- submission ----------------------------------------------------------------------------

    /**
     * The offset in {@link #sqes} of a zeroed SQE with the common fields set; submits what is
     * queued first if the submission queue is full.
     */
    private long prepare(int opcode, int fd, long address, int length, long userData) throws IOException {
        if (sqTail - (int) INT.getAcquire(rings, sqHeadOffset) == sqEntries) {
            submit();
        }
        long sqe = (long) (sqTail & sqMask) * SQE_SIZE;
        for (long offset = 0; offset < SQE_SIZE; offset += 8) {
            sqes.set(JAVA_LONG, sqe + offset, 0L);
        }
        sqes.set(JAVA_BYTE, sqe, (byte) opcode);
        sqes.set(JAVA_INT, sqe + 4, fd);
        sqes.set(JAVA_LONG, sqe + 16, address);
        sqes.set(JAVA_INT, sqe + 24, length);
        sqes.set(JAVA_LONG, sqe + 32, userData);
        sqTail++;
        return sqe;
    }

    /** A multishot receive into buffers chosen from buffer group {@code group}. */
    void recvMultishot(int socket, int group, long userData) throws IOException {
        long sqe = prepare(OP_RECV, socket, 0, 0, userData);
        sqes.set(JAVA_BYTE, sqe + 1, (byte) SQE_BUFFER_SELECT);
        sqes.set(JAVA_SHORT, sqe + 2, (short) RECV_MULTISHOT);
        sqes.set(JAVA_SHORT, sqe + 40, (short) group);
    }

    /** A multishot accept; the accepted sockets are blocking (see {@link #SOCK_CLOEXEC}) and close-on-exec. */
    void acceptMultishot(int socket, long userData) throws IOException {
        long sqe = prepare(OP_ACCEPT, socket, 0, 0, userData);
        sqes.set(JAVA_SHORT, sqe + 2, (short) ACCEPT_MULTISHOT);
        sqes.set(JAVA_INT, sqe + 28, SOCK_CLOEXEC);
    }

    /**
     * {@code send(socket, address, length, MSG_NOSIGNAL)}, or with {@code inline} an inline send (see
     * {@link #sendmsg}); with {@code more}, {@code MSG_MORE} too.
     *
     * @return the SQE's sequence number, for {@link #issued}
     */
    int send(int socket, long address, int length, long userData, boolean inline, boolean more) throws IOException {
        long sqe = prepare(OP_SEND, socket, address, length, userData);
        sendFlags(sqe, inline, more);
        return sqTail - 1;
    }

    /**
     * {@code sendmsg(socket, message, MSG_NOSIGNAL)}; the {@code msghdr} at {@code message} is read at
     * submission. An {@code inline} send adds {@code MSG_DONTWAIT | MSG_WAITALL} and {@code
     * IOSQE_CQE_SKIP_SUCCESS}: the kernel tries it once, while it submits it, and posts a completion
     * only when it did not send everything: the bytes it sent, or {@code -EAGAIN} (nothing fitted),
     * or {@code -errno}. It never waits in the kernel, so once {@link #issued} says so, a send
     * without a completion has sent every byte and its memory is free. A keep-alive response then
     * costs no completion, and the wait that follows ends for the next request, not for the send.
     * With {@code more}, {@code MSG_MORE}: the caller sends more right after (a file with {@code
     * sendfile}), so the kernel holds a partly filled segment back for it instead of pushing it alone.
     *
     * @return the SQE's sequence number, for {@link #issued}
     */
    int sendmsg(int socket, long message, long userData, boolean inline, boolean more) throws IOException {
        long sqe = prepare(OP_SENDMSG, socket, message, 1, userData);
        sendFlags(sqe, inline, more);
        return sqTail - 1;
    }

    private void sendFlags(long sqe, boolean inline, boolean more) {
        int flags = more ? MSG_NOSIGNAL | MSG_MORE : MSG_NOSIGNAL;
        if (inline) {
            sqes.set(JAVA_BYTE, sqe + 1, (byte) SQE_CQE_SKIP_SUCCESS);
            flags |= MSG_DONTWAIT | MSG_WAITALL;
        }
        sqes.set(JAVA_INT, sqe + 28, flags);
    }

    /**
     * Whether the SQE with sequence number {@code sequence} has been submitted, so that the kernel
     * has issued it; an inline send has then finished, and any completion it made is in the queue
     * (or, while {@link #completionsOverflowed}, in the kernel's overflow list).
     */
    boolean issued(int sequence) {
        return sqSubmitted - sequence > 0;
    }

    /** Whether completions wait in the kernel's overflow list; {@link #flushOverflow} fetches them. */
    boolean completionsOverflowed() {
        return ((int) INT.getAcquire(rings, sqFlagsOffset) & SQ_CQ_OVERFLOW) != 0;
    }

    /** Moves completions from the kernel's overflow list into the queue, as room allows; never waits. */
    void flushOverflow() throws IOException {
        enter(0, true);
    }

    /** {@code read(fd, address, length)} at the file's position (an eventfd has none). */
    void read(int fd, long address, int length, long userData) throws IOException {
        prepare(OP_READ, fd, address, length, userData);
    }

    /** A one-shot poll for {@code events} ({@code POLLOUT}, ...). */
    void pollAdd(int fd, int events, long userData) throws IOException {
        long sqe = prepare(OP_POLL_ADD, fd, 0, 0, userData);
        sqes.set(JAVA_INT, sqe + 28, events);
    }

    /** Cancels the operation submitted with {@code target} as its user data; silent on success. */
    void cancel(long target) throws IOException {
        long sqe = prepare(OP_ASYNC_CANCEL, -1, target, 0, 0);
        sqes.set(JAVA_BYTE, sqe + 1, (byte) SQE_CQE_SKIP_SUCCESS);
    }

    /** Cancels every operation pending on {@code fd}, then closes it; both silent on success. */
    void cancelAllAndClose(int fd) throws IOException {
        long cancel = prepare(OP_ASYNC_CANCEL, fd, 0, 0, 0);
        sqes.set(JAVA_BYTE, cancel + 1, (byte) SQE_CQE_SKIP_SUCCESS);
        sqes.set(JAVA_INT, cancel + 28, CANCEL_FD | CANCEL_ALL);
        long close = prepare(OP_CLOSE, fd, 0, 0, 0);
        sqes.set(JAVA_BYTE, close + 1, (byte) SQE_CQE_SKIP_SUCCESS);
    }

    /** Submits what is queued without waiting. */
    void submit() throws IOException {
        enter(0, false);
    }

    /**
     * Submits what is queued and waits for at least one completion, unless one is already there.
     *
     * @param timeoutNanos -1 to wait until one comes, 0 not to wait, otherwise the longest wait
     */
    void submitAndWait(long timeoutNanos) throws IOException {
        if (timeoutNanos != 0 && cqHead != (int) INT.getAcquire(rings, cqTailOffset)) {
            timeoutNanos = 0; // completions are waiting already
        }
        enter(timeoutNanos, true);
    }

    private void enter(long timeoutNanos, boolean getEvents) throws IOException {
        if (!enabled) {
            enabled = true;
            if ((setupFlags & SETUP_R_DISABLED) != 0) {
                // This thread becomes the ring's single issuer.
                int result = calls.ioUringRegister(fd, REGISTER_ENABLE_RINGS, 0, 0);
                if (result < 0) {
                    throw SystemCalls.failure("io_uring_register ENABLE_RINGS", result);
                }
            }
        }
        INT.setRelease(rings, sqTailOffset, sqTail);
        int toSubmit = sqTail - sqSubmitted;
        if (toSubmit == 0 && !getEvents) {
            return;
        }
        int flags = getEvents ? ENTER_GETEVENTS : 0;
        int minComplete = getEvents && timeoutNanos != 0 ? 1 : 0;
        long argument = 0;
        long argumentSize = 0;
        if (minComplete > 0 && timeoutNanos > 0) {
            timeout.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
            timeout.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
            flags |= ENTER_EXT_ARG;
            argument = waitArgument.address();
            argumentSize = waitArgument.byteSize();
        }
        int result = calls.ioUringEnter(fd, toSubmit, minComplete, flags, argument, argumentSize);
        if (result >= 0) {
            sqSubmitted += Math.min(result, toSubmit);
            return;
        }
        int errno = -result;
        if (errno == ETIME || errno == Errno.EINTR || errno == EBUSY || errno == Errno.EAGAIN) {
            return; // a timeout, a signal, or completions to reap first: the caller reaps and comes back
        }
        throw SystemCalls.failure("io_uring_enter", result);
    }

    // ---- completion ----------------------------------------------------------------------------

    /** Receives each completion: its user data, result and flags. */
    @FunctionalInterface
    interface CompletionSink {
        void complete(long userData, int result, int flags);
    }

    /** Hands every completion now in the queue to {@code sink}; returns how many. */
    int reap(CompletionSink sink) {
        int reaped = 0;
        while (true) {
            int tail = (int) INT.getAcquire(rings, cqTailOffset);
            if (cqHead == tail) {
                return reaped;
            }
            while (cqHead != tail) {
                long cqe = cqesOffset + (long) (cqHead & cqMask) * CQE_SIZE;
                long userData = rings.get(JAVA_LONG, cqe);
                int result = rings.get(JAVA_INT, cqe + 8);
                int flags = rings.get(JAVA_INT, cqe + 12);
                cqHead++;
                INT.setRelease(rings, cqHeadOffset, cqHead); // the slot is free before the sink runs
                sink.complete(userData, result, flags);
                reaped++;
            }
        }
    }

    /** Unmaps the rings and closes the ring fd, which cancels whatever is still pending. */
    void close() {
        calls.munmap(sqes.address(), sqesLength);
        calls.munmap(rings.address(), ringsLength);
        calls.close(fd);
    }
}
