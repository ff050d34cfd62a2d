package io.katana.reactor.epoll;

import static io.katana.reactor.epoll.ffi.LinuxConstants.EFD_CLOEXEC;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EFD_NONBLOCK;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLLIN;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLL_CTL_ADD;

import io.katana.reactor.ReactorConfig;
import io.katana.reactor.epoll.ffi.EpollEventArray;
import io.katana.reactor.epoll.ffi.EpollEventLayout;
import io.katana.reactor.epoll.ffi.IovecArray;
import io.katana.reactor.epoll.ffi.Syscalls;
import io.katana.reactor.spi.EventLoop;
import io.katana.reactor.spi.SlotTable;
import io.katana.reactor.spi.ffm.Errno;
import io.katana.reactor.spi.ffm.ErrnoException;
import io.katana.reactor.spi.ffm.FileCalls;
import io.katana.reactor.spi.ffm.FileHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reactor on one epoll fd. Registrations are found through a {@link SlotTable} token carried in
 * each event's {@code data}; cross-thread wakeups write an eventfd, and only when the loop is (about
 * to be) asleep, which {@link EventLoop} decides. In edge-triggered mode the eventfd is never read:
 * each write raises a new edge, so a wakeup costs the producer one {@code write} and the loop nothing
 * beyond the {@code epoll_wait} it was in anyway.
 *
 * <p>Its native memory (call state and scratch, the event array, the iovec array) comes from one
 * arena allocated when the reactor is built and closed when it ends.
 *
 * <p><b>Threading:</b> as {@link EventLoop}; {@link #wakeUp()} from any thread.
 */
final class EpollReactor extends EventLoop implements FileHost {
    private static final Logger LOG = LoggerFactory.getLogger(EpollReactor.class);
    private static final int INITIAL_SLOTS = 256;
    private static final int EARLY_READ_SCORE_MAX = 16;
    /** While early reads keep missing, still try one in this many, to notice when clients change. */
    private static final int EARLY_READ_PROBE_INTERVAL = 32;

    private final EpollReactorGroup group;
    private final TriggerMode mode;
    private final EpollEventLayout layout;
    private final NativeMemoryLedger.Accounted memory;
    private final Syscalls calls;
    private final EpollEventArray events;
    private final IovecArray iovecs;
    private final SlotTable<ReadinessHandler> slots = new SlotTable<>(INITIAL_SLOTS);
    private final int epollFd;
    private final int wakeFd;
    private final long readBufferAddress;
    private FileCalls fileCalls; // made on the first file sent

    // Wakeups come from other threads: their own call-state segment. EventLoop never calls wakeUp()
    // once closeSelector() has begun, so the eventfd is never written after the loop closed it.
    private final Syscalls wakeCalls;
    private final MemorySegment wakeValue;
    private final MemorySegment drained;

    // Loop only.
    private int earlyReadScore = EARLY_READ_SCORE_MAX / 2;
    private int earlyReadSkipped;
    private EpollConnection[] rereads = new EpollConnection[16];
    private EpollConnection[] spareRereads = new EpollConnection[16];
    private int rereadCount;
    private boolean nativeReleased;

    EpollReactor(EpollReactorGroup group, ReactorConfig config, int index, TriggerMode mode) {
        super(group, config, index);
        this.group = group;
        this.mode = mode;
        this.layout = EpollEventLayout.current().orElseThrow();
        this.memory = NativeMemoryLedger.openShared();
        try {
            this.calls = new Syscalls(memory, layout);
            this.wakeCalls = new Syscalls(memory, layout);
            this.events = new EpollEventArray(memory, layout, config.maxEventsPerPoll());
            this.iovecs = new IovecArray(memory, 1024);
            this.wakeValue = memory.allocate(8, 8);
            wakeValue.asByteBuffer().order(ByteOrder.nativeOrder()).putLong(0, 1);
            this.drained = memory.allocate(8, 8);
            this.epollFd = calls.epollCreate();
            if (epollFd < 0) {
                throw Syscalls.failure("epoll_create1", epollFd);
            }
            this.wakeFd = calls.eventfd(EFD_NONBLOCK | EFD_CLOEXEC);
            if (wakeFd < 0) {
                calls.close(epollFd);
                throw Syscalls.failure("eventfd", wakeFd);
            }
            long token = slots.add(new Wakeup());
            int added = calls.epollCtl(epollFd, EPOLL_CTL_ADD, wakeFd, EPOLLIN | mode.flag(), token);
            if (added < 0) {
                calls.close(wakeFd);
                calls.close(epollFd);
                throw Syscalls.failure("epoll_ctl ADD eventfd", added);
            }
        } catch (ErrnoException e) {
            memory.close();
            throw new UncheckedIOException("cannot open epoll reactor " + index + ": " + e.getMessage(), e);
        }
        this.readBufferAddress = readBuffer().segment().address();
    }

    EpollReactorGroup epollGroup() {
        return group;
    }

    TriggerMode mode() {
        return mode;
    }

    /** Loop only: this thread's system calls. */
    Syscalls calls() {
        return calls;
    }

    @Override
    public FileCalls fileCalls() {
        if (fileCalls == null) {
            fileCalls = new FileCalls(Syscalls.fileFunctions(), memory);
        }
        return fileCalls;
    }

    @Override
    public FileCalls.Functions fileFunctions() {
        return Syscalls.fileFunctions();
    }

    /** Loop only: the iovec array of this reactor's gathering writes. */
    IovecArray iovecs() {
        return iovecs;
    }

    /** Loop only: the registrations of this reactor. */
    SlotTable<ReadinessHandler> slots() {
        return slots;
    }

    int epollFd() {
        return epollFd;
    }

    EpollEventLayout layout() {
        return layout;
    }

    /** Native address of the first byte of the shared read buffer. */
    long readBufferAddress() {
        return readBufferAddress;
    }

    /**
     * Closes an fd: on the loop with its system calls; after this reactor released its native memory
     * (a hand-off that raced with termination), or from another thread once the reactor has ended,
     * with a short-lived arena of its own.
     */
    @Override
    public void closeDescriptor(int fd) {
        if (!nativeReleased && inEventLoop()) {
            calls.close(fd);
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            new Syscalls(arena, layout).close(fd);
        }
    }

    /** Loop only: whether the epoll fd is gone and nothing more can be registered. */
    boolean isReleased() {
        return nativeReleased;
    }

    /**
     * Loop only: whether to read an accepted socket before registering it. The request usually
     * arrives with the handshake, and then the early read saves an {@code epoll_wait} round (and,
     * when the exchange also ends the connection, the {@code epoll_ctl}); but a client that
     * connects first and writes later (wrk, for one, on loopback) makes every early read a wasted
     * {@code EAGAIN}. So the reactor keeps a score of recent outcomes and stops trying while reads
     * keep missing, probing once in {@value #EARLY_READ_PROBE_INTERVAL} connections.
     */
    boolean shouldReadEarly() {
        if (earlyReadScore > 0) {
            return true;
        }
        if (++earlyReadSkipped >= EARLY_READ_PROBE_INTERVAL) {
            earlyReadSkipped = 0;
            return true;
        }
        return false;
    }

    /** Loop only: the outcome of an early read: data (or end of stream) came, or it said EAGAIN. */
    void earlyReadOutcome(boolean found) {
        earlyReadScore = found
                ? Math.min(EARLY_READ_SCORE_MAX, earlyReadScore + 2)
                : Math.max(0, earlyReadScore - 1);
    }

    /**
     * Loop only: asks for another read attempt on {@code connection} after the next poll, which then
     * does not wait. Edge-triggered registrations need it when reading stopped with bytes possibly
     * left in the socket (the per-event read budget ran out, or reading resumed after a pause):
     * no new edge would announce them.
     */
    void readAgainSoon(EpollConnection connection) {
        if (rereadCount == rereads.length) {
            rereads = Arrays.copyOf(rereads, rereadCount * 2);
        }
        rereads[rereadCount++] = connection;
    }

    @Override
    protected void poll(long timeoutNanos) throws IOException {
        int timeoutMillis;
        if (rereadCount > 0 || timeoutNanos == 0) {
            timeoutMillis = 0;
        } else if (timeoutNanos < 0) {
            timeoutMillis = -1;
        } else {
            // Round up: a timer must never fire early because epoll woke a little before it.
            timeoutMillis = (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
        }
        int ready = calls.epollWait(epollFd, events, timeoutMillis);
        markAwake();
        if (ready < 0) {
            if (ready == -Errno.EINTR) {
                ready = 0;
            } else {
                throw Syscalls.failure("epoll_wait", ready);
            }
        }
        for (int i = 0; i < ready; i++) {
            ReadinessHandler handler = slots.get(events.data(i));
            if (handler != null) {
                handler.ready(events.events(i));
            }
        }
        if (rereadCount > 0) {
            readAgain();
        }
    }

    /** Runs this round's read attempts; ones they ask for again wait for the next round. */
    private void readAgain() {
        int count = rereadCount;
        EpollConnection[] batch = rereads;
        rereads = spareRereads.length >= batch.length ? spareRereads : new EpollConnection[batch.length];
        rereadCount = 0;
        for (int i = 0; i < count; i++) {
            EpollConnection connection = batch[i];
            batch[i] = null;
            connection.readAgain();
        }
        spareRereads = batch;
    }

    @Override
    protected void wakeUp() {
        // An eventfd write fails only when the counter would overflow, after 2^64 wakeups.
        wakeCalls.write(wakeFd, wakeValue.address(), 8);
    }

    @Override
    protected void closeSelector() {
        for (ReadinessHandler handler : slots.snapshot()) {
            try {
                handler.closeOnTermination();
            } catch (RuntimeException e) {
                LOG.warn("{}: releasing {} at termination failed", this, handler, e);
            }
        }
        calls.close(wakeFd);
        calls.close(epollFd);
        nativeReleased = true;
        memory.close();
    }

    /** The eventfd's registration: its readiness only ends the wait. */
    private final class Wakeup implements ReadinessHandler {
        @Override
        public void ready(int readyEvents) {
            if (mode == TriggerMode.LEVEL) {
                // Level-triggered: the counter must be drained or every poll would return at once.
                calls.read(wakeFd, drained.address(), 8);
            }
        }

        @Override
        public void closeOnTermination() {
            // closed with the reactor's own fds
        }

        @Override
        public String toString() {
            return "wakeup eventfd of " + EpollReactor.this;
        }
    }
}
