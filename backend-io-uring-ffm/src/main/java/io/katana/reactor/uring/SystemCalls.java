package io.katana.reactor.uring;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.katana.reactor.spi.ffm.CapturedErrno;
import io.katana.reactor.spi.ffm.ErrnoException;
import io.katana.reactor.spi.ffm.SocketAddressCodec;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.net.InetSocketAddress;

/**
 * The system calls of one thread, with that thread's {@code errno} call state and scratch memory
 * (a {@code sockaddr_storage}, its length, an option value), allocated once. Calls whose failure is
 * routine return {@code -errno}; set-up calls throw {@link ErrnoException} naming the call.
 *
 * <p><b>Threading:</b> not thread-safe: one instance per thread; the allocator's memory must
 * outlive it.
 */
final class SystemCalls {
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_SHARED_POPULATE = 0x01 | 0x8000;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_ERROR = 4;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_LINGER = 13;
    static final int SO_REUSEPORT = 15;
    static final int IPPROTO_TCP = 6;
    static final int TCP_NODELAY = 1;
    static final int TCP_DEFER_ACCEPT = 9;
    static final int SHUT_WR = 1;
    private static final int F_SETFL = 4;

    private final MemorySegment callState;
    private final MemorySegment address;
    private final MemorySegment addressLength;
    private final MemorySegment optionValue;

    SystemCalls(SegmentAllocator allocator) {
        MemorySegment scratch = allocator.allocate(256, 16);
        this.address = scratch.asSlice(0, SocketAddressCodec.SOCKADDR_STORAGE_SIZE);
        this.callState = scratch.asSlice(160, CapturedErrno.LAYOUT.byteSize());
        this.optionValue = scratch.asSlice(192, 8);
        this.addressLength = scratch.asSlice(200, 8);
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
                    (long) entries, params.address()));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code io_uring_enter(fd, toSubmit, minComplete, flags, arg, argSize)}: submitted count, or {@code -errno}. */
    int ioUringEnter(int ringFd, int toSubmit, int minComplete, int flags, long arg, long argSize) {
        try {
            return (int) check((long) Libc.SYSCALL6.invokeExact(callState, Libc.SYS_IO_URING_ENTER,
                    (long) ringFd, (long) toSubmit, (long) minComplete, (long) flags, arg, argSize));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code io_uring_register(fd, opcode, arg, count)}: the result, or {@code -errno}. */
    int ioUringRegister(int ringFd, int opcode, long arg, int count) {
        try {
            return (int) check((long) Libc.SYSCALL4.invokeExact(callState, Libc.SYS_IO_URING_REGISTER,
                    (long) ringFd, (long) opcode, arg, (long) count));
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
            return check((int) Libc.EVENTFD.invokeExact(callState, 0, 0x800 | 0x80000));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code write(fd, address, length)}: bytes written, or {@code -errno}. */
    long write(int fd, long bufferAddress, long length) {
        try {
            return check((long) Libc.WRITE.invokeExact(callState, fd, bufferAddress, length));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code close(fd)}: 0, or {@code -errno}; never retried. */
    int close(int fd) {
        try {
            return check((int) Libc.CLOSE.invokeExact(callState, fd));
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
        try {
            return check((int) Libc.FCNTL.invokeExact(callState, fd, F_SETFL, 0));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code shutdown(fd, SHUT_WR)}: 0, or {@code -errno}. */
    int shutdownOutput(int fd) {
        try {
            return check((int) Libc.SHUTDOWN.invokeExact(callState, fd, SHUT_WR));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code connect(fd, remote)}: 0, or {@code -errno} ({@code -EINPROGRESS} on a non-blocking socket). */
    int connect(int fd, InetSocketAddress remote) {
        int length = SocketAddressCodec.encode(remote, address);
        try {
            return check((int) Libc.CONNECT.invokeExact(callState, fd, address.address(), length));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code SO_LINGER {1, 0}}: the next close resets the connection. 0, or {@code -errno}. */
    int lingerZero(int fd) {
        optionValue.set(JAVA_INT, 0, 1);
        optionValue.set(JAVA_INT, 4, 0);
        try {
            return check((int) Libc.SETSOCKOPT.invokeExact(callState, fd, SOL_SOCKET, SO_LINGER, optionValue.address(), 8));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---- set-up, throwing --------------------------------------------------------------------

    /** A non-blocking, close-on-exec TCP socket of {@code family}. */
    int tcpSocket(int family) throws ErrnoException {
        try {
            int fd = (int) Libc.SOCKET.invokeExact(callState, family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0) throw new ErrnoException("socket", errno());
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    void setIntOption(int fd, int level, int name, int value, String what) throws ErrnoException {
        optionValue.set(JAVA_INT, 0, value);
        try {
            int result = (int) Libc.SETSOCKOPT.invokeExact(callState, fd, level, name, optionValue.address(), 4);
            if (result < 0) throw new ErrnoException("setsockopt " + what + "=" + value, errno());
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The pending socket error ({@code SO_ERROR}), cleared by reading it. */
    int socketError(int fd) throws ErrnoException {
        addressLength.set(JAVA_INT, 0, 4);
        try {
            int result = (int) Libc.GETSOCKOPT.invokeExact(callState, fd, SOL_SOCKET, SO_ERROR,
                    optionValue.address(), addressLength.address());
            if (result < 0) throw new ErrnoException("getsockopt SO_ERROR", errno());
            return optionValue.get(JAVA_INT, 0);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    void bind(int fd, InetSocketAddress local) throws ErrnoException {
        int length = SocketAddressCodec.encode(local, address);
        try {
            int result = (int) Libc.BIND.invokeExact(callState, fd, address.address(), length);
            if (result < 0) throw new ErrnoException("bind " + local, errno());
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    void listen(int fd, int backlog) throws ErrnoException {
        try {
            int result = (int) Libc.LISTEN.invokeExact(callState, fd, backlog);
            if (result < 0) throw new ErrnoException("listen", errno());
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code getsockname} ({@code peer} false) or {@code getpeername} (true), decoded; null if not IP. */
    InetSocketAddress address(int fd, boolean peer) throws ErrnoException {
        addressLength.set(JAVA_INT, 0, SocketAddressCodec.SOCKADDR_STORAGE_SIZE);
        try {
            int result = peer
                    ? (int) Libc.GETPEERNAME.invokeExact(callState, fd, address.address(), addressLength.address())
                    : (int) Libc.GETSOCKNAME.invokeExact(callState, fd, address.address(), addressLength.address());
            if (result < 0) throw new ErrnoException(peer ? "getpeername" : "getsockname", errno());
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
        return SocketAddressCodec.decodeInet(address, addressLength.get(JAVA_INT, 0));
    }

    private int check(int result) {
        return result < 0 ? -errno() : result;
    }

    private long check(long result) {
        return result < 0 ? -errno() : result;
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException runtime) return runtime;
        if (t instanceof Error error) throw error;
        return new IllegalStateException("native call failed unexpectedly", t);
    }
}
