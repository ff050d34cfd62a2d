package io.katana.reactor.epoll.ffi;

import static io.katana.reactor.spi.ffm.CapturedErrno.check;
import static io.katana.reactor.spi.ffm.CapturedErrno.unexpected;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import io.katana.reactor.spi.ffm.CapturedErrno;
import io.katana.reactor.spi.ffm.ErrnoException;
import io.katana.reactor.spi.ffm.FileCalls;
import io.katana.reactor.spi.ffm.SocketAddressCodec;
import io.katana.reactor.spi.ffm.SocketCalls;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The system calls of one thread, with that thread's {@code errno} call-state segment and scratch
 * memory (one {@code epoll_event}, one {@code sockaddr_storage} and its length), all
 * allocated once from the arena given at construction. Nothing is allocated per call.
 *
 * <p>These calls are on the hot path or fail routinely ({@code read}, {@code send}, {@code writev},
 * {@code accept4}, {@code epoll_*}, {@code close}, ...): they return the kernel's result when it is
 * non-negative and {@code -errno} when it failed, so {@code EAGAIN} costs no exception; {@link
 * #failure} turns a negative result into an exception. The socket set-up calls every FFM backend
 * shares are {@link #sockets()}.
 *
 * <p><b>Threading:</b> not thread-safe. One instance belongs to one thread (a reactor's, or a caller
 * doing a one-off set-up with its own instance); the arena it was built from must outlive it.
 */
public final class Syscalls {
    private static final long SCRATCH_SIZE = 256;

    private final EpollEventLayout eventLayout;
    private final MemorySegment callState;
    private final MemorySegment event;
    private final MemorySegment addressLength;
    private final MemorySegment address;
    private final SocketCalls sockets;

    /**
     * @param arena where the scratch memory lives; it must stay open while this instance is used
     * @param eventLayout the {@code epoll_event} layout of this architecture
     */
    public Syscalls(SegmentAllocator arena, EpollEventLayout eventLayout) {
        this.eventLayout = Objects.requireNonNull(eventLayout, "eventLayout");
        MemorySegment scratch = arena.allocate(SCRATCH_SIZE, 16);
        this.address = scratch.asSlice(0, SocketAddressCodec.SOCKADDR_STORAGE_SIZE);
        this.event = scratch.asSlice(128, eventLayout.size());
        this.callState = scratch.asSlice(160, Libc.CALL_STATE_LAYOUT.byteSize());
        this.addressLength = scratch.asSlice(200, 8);
        this.sockets = new SocketCalls(Libc.SOCKETS, arena);
    }

    /** The {@code epoll_event} layout these calls use. */
    public EpollEventLayout eventLayout() {
        return eventLayout;
    }

    /** The {@code errno} captured by the most recent call on this instance. */
    public int errno() {
        return CapturedErrno.errno(callState);
    }

    /** The socket set-up calls of this thread ({@code socket}, options, {@code bind}, {@code connect}, ...). */
    public SocketCalls sockets() {
        return sockets;
    }

    /** The file functions as this module linked them, for a reactor's {@link FileCalls}. */
    public static FileCalls.Functions fileFunctions() {
        return Libc.FILES;
    }

    /** The socket set-up functions as this module linked them, for a {@link SocketCalls} of another thread. */
    public static SocketCalls.Functions socketFunctions() {
        return Libc.SOCKETS;
    }

    /** An exception for a negative {@code -errno} result of {@code operation}. */
    public static ErrnoException failure(String operation, long negativeResult) {
        return new ErrnoException(operation, (int) -negativeResult);
    }

    // ---- epoll and eventfd -------------------------------------------------------------------

    /** {@code epoll_create1(EPOLL_CLOEXEC)}: the new epoll fd, or {@code -errno}. */
    public int epollCreate() {
        try {
            return check((int) Libc.EPOLL_CREATE1.invokeExact(callState, LinuxConstants.EPOLL_CLOEXEC), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code epoll_ctl(epfd, op, fd, {events, data})}: 0, or {@code -errno}. */
    public int epollCtl(int epfd, int op, int fd, int events, long data) {
        event.set(JAVA_INT, EpollEventLayout.EVENTS_OFFSET, events);
        event.set(JAVA_LONG_UNALIGNED, eventLayout.dataOffset(), data);
        try {
            return check((int) Libc.EPOLL_CTL.invokeExact(callState, epfd, op, fd, event.address()), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code epoll_wait} into {@code events}: the number of ready events, or {@code -errno} ({@code
     * -EINTR} when a signal interrupted the wait).
     *
     * @param timeoutMillis -1 to wait indefinitely, 0 to poll
     */
    public int epollWait(int epfd, EpollEventArray events, int timeoutMillis) {
        try {
            return check((int) Libc.EPOLL_WAIT.invokeExact(
                    callState, epfd, events.segment().address(), events.capacity(), timeoutMillis), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code eventfd(0, flags)}: the new fd, or {@code -errno}. */
    public int eventfd(int flags) {
        try {
            return check((int) Libc.EVENTFD.invokeExact(callState, 0, flags), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---- data transfer -----------------------------------------------------------------------

    /** {@code read(fd, address, length)}: bytes read (0 at end of stream), or {@code -errno}. */
    public long read(int fd, long bufferAddress, long length) {
        try {
            return check((long) Libc.READ.invokeExact(callState, fd, bufferAddress, length), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code recv(fd, address, length, flags)}: bytes read (0 at end of stream), or {@code -errno}. */
    public long recv(int fd, long bufferAddress, long length, int flags) {
        try {
            return check((long) Libc.RECV.invokeExact(callState, fd, bufferAddress, length, flags), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code write(fd, address, length)}: bytes written, or {@code -errno}. */
    public long write(int fd, long bufferAddress, long length) {
        try {
            return check((long) Libc.WRITE.invokeExact(callState, fd, bufferAddress, length), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code send(fd, address, length, MSG_NOSIGNAL)}: bytes sent, or {@code -errno}. A peer that
     * went away yields {@code -EPIPE} instead of a process-killing {@code SIGPIPE}.
     */
    public long send(int fd, long bufferAddress, long length) {
        return send(fd, bufferAddress, length, false);
    }

    /**
     * As {@link #send(int, long, long)}, with {@code MSG_MORE} when {@code more}: the caller sends
     * more bytes right after, so the kernel holds a partly filled segment back for them instead of
     * pushing it alone (the next send without the flag pushes). With {@code TCP_NODELAY} on, a
     * response head sent this way leaves in one segment with the start of its body.
     */
    public long send(int fd, long bufferAddress, long length, boolean more) {
        int flags = more ? LinuxConstants.MSG_NOSIGNAL | LinuxConstants.MSG_MORE : LinuxConstants.MSG_NOSIGNAL;
        try {
            return check((long) Libc.SEND.invokeExact(callState, fd, bufferAddress, length, flags), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code writev(fd, iov, count)}: bytes written, or {@code -errno}. Unlike {@code send}, {@code
     * writev} takes no {@code MSG_NOSIGNAL}; a write to a reset socket still fails with {@code -EPIPE}
     * instead of ending the process because HotSpot installs its own {@code SIGPIPE} handler, which
     * ignores the signal, in every JVM.
     */
    public long writev(int fd, IovecArray iov, int count) {
        try {
            return check((long) Libc.WRITEV.invokeExact(callState, fd, iov.segment().address(), count), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---- sockets: hot or routinely failing ---------------------------------------------------

    /**
     * {@code accept4(fd, &addr, &len, SOCK_NONBLOCK | SOCK_CLOEXEC)}: the accepted fd, or {@code
     * -errno} ({@code -EAGAIN} when the queue is empty). The peer's address is left in scratch
     * memory; read it with {@link #acceptedPeer()} before the next call on this instance.
     */
    public int accept4(int listenFd) {
        addressLength.set(JAVA_INT, 0, SocketAddressCodec.SOCKADDR_STORAGE_SIZE);
        try {
            return check((int) Libc.ACCEPT4.invokeExact(callState, listenFd, address.address(),
                    addressLength.address(), LinuxConstants.SOCK_NONBLOCK | LinuxConstants.SOCK_CLOEXEC), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The peer address the last successful {@link #accept4} returned, or null if it was not an IP one. */
    public InetSocketAddress acceptedPeer() {
        return decodeScratchAddress();
    }

    /**
     * {@code close(fd)}: 0, or {@code -errno}. Never retried: on Linux the fd is released even when
     * close reports {@code EINTR}, and retrying could close a descriptor another thread just got.
     */
    public int close(int fd) {
        try {
            return check((int) Libc.CLOSE.invokeExact(callState, fd), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private InetSocketAddress decodeScratchAddress() {
        return SocketAddressCodec.decodeInet(address, addressLength.get(JAVA_INT, 0));
    }
}
