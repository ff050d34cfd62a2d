package io.katana.reactor.uring;

import static io.katana.reactor.spi.ffm.CapturedErrno.check;
import static io.katana.reactor.spi.ffm.CapturedErrno.unexpected;

import io.katana.reactor.spi.ffm.CapturedErrno;
import io.katana.reactor.spi.ffm.ErrnoException;
import io.katana.reactor.spi.ffm.SocketCalls;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * The system calls of one thread, with that thread's {@code errno} call state, allocated once. They
 * return {@code -errno} on failure; {@link #failure} names the call in an exception. The socket
 * set-up calls every FFM backend shares are {@link #sockets()}.
 *
 * <p><b>Threading:</b> not thread-safe: one instance per thread; the allocator's memory must
 * outlive it.
 */
final class SystemCalls {
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_SHARED_POPULATE = 0x01 | 0x8000;
    private static final int F_SETFL = 4;
    private static final int O_NONBLOCK = 0x800;

    private final MemorySegment callState;
    private final SocketCalls sockets;

    SystemCalls(SegmentAllocator allocator) {
        this.callState = CapturedErrno.allocate(allocator);
        this.sockets = new SocketCalls(Libc.SOCKETS, allocator);
    }

    /** The socket set-up calls of this thread ({@code socket}, options, {@code bind}, {@code connect}, ...). */
    SocketCalls sockets() {
        return sockets;
    }

    static ErrnoException failure(String operation, long negativeResult) {
        return new ErrnoException(operation, (int) -negativeResult);
    }

    private int errno() {
        return CapturedErrno.errno(callState);
    }

    // ---- io_uring ----------------------------------------------------------------------------

    /** {@code io_uring_setup(entries, params)}: the ring fd, or {@code -errno}. */
    int ioUringSetup(int entries, MemorySegment params) {
        try {
            return (int) check((long) Libc.SYSCALL2.invokeExact(callState, Libc.SYS_IO_URING_SETUP,
                    (long) entries, params.address()), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code io_uring_enter(fd, toSubmit, minComplete, flags, arg, argSize)}: submitted count, or {@code -errno}. */
    int ioUringEnter(int ringFd, int toSubmit, int minComplete, int flags, long arg, long argSize) {
        try {
            return (int) check((long) Libc.SYSCALL6.invokeExact(callState, Libc.SYS_IO_URING_ENTER,
                    (long) ringFd, (long) toSubmit, (long) minComplete, (long) flags, arg, argSize), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code io_uring_register(fd, opcode, arg, count)}: the result, or {@code -errno}. */
    int ioUringRegister(int ringFd, int opcode, long arg, int count) {
        try {
            return (int) check((long) Libc.SYSCALL4.invokeExact(callState, Libc.SYS_IO_URING_REGISTER,
                    (long) ringFd, (long) opcode, arg, (long) count), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** A shared read-write mapping of {@code fd} at {@code offset}: its address, or {@code -errno}. */
    long mmap(long length, int fd, long offset) {
        try {
            long address = (long) Libc.MMAP.invokeExact(callState, 0L, length, PROT_READ_WRITE, MAP_SHARED_POPULATE, fd, offset);
            return address == -1 ? -errno() : address;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    void munmap(long address, long length) {
        try {
            int ignored = (int) Libc.MUNMAP.invokeExact(callState, address, length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---- descriptors -------------------------------------------------------------------------

    /** {@code eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)}: the fd, or {@code -errno}. */
    int eventfd() {
        try {
            return check((int) Libc.EVENTFD.invokeExact(callState, 0, 0x800 | 0x80000), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code write(fd, address, length)}: bytes written, or {@code -errno}. */
    long write(int fd, long bufferAddress, long length) {
        try {
            return check((long) Libc.WRITE.invokeExact(callState, fd, bufferAddress, length), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code close(fd)}: 0, or {@code -errno}; never retried. */
    int close(int fd) {
        try {
            return check((int) Libc.CLOSE.invokeExact(callState, fd), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * Clears {@code O_NONBLOCK} on {@code fd}: 0, or {@code -errno}. A socket the ring sends on must be
     * blocking: a send the kernel hands to an io-wq worker (after a partial send whose retries found
     * the socket still full) would otherwise end with {@code EAGAIN} instead of waiting for room.
     */
    int makeBlocking(int fd) {
        return setStatusFlags(fd, 0);
    }

    /**
     * Sets {@code O_NONBLOCK} on {@code fd}: 0, or {@code -errno}. Only for a call made from the loop
     * while the ring sends nothing on {@code fd} (a {@code sendfile}); {@link #makeBlocking} right after.
     */
    int makeNonBlocking(int fd) {
        return setStatusFlags(fd, O_NONBLOCK);
    }

    private int setStatusFlags(int fd, int flags) {
        try {
            return check((int) Libc.FCNTL.invokeExact(callState, fd, F_SETFL, flags), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
