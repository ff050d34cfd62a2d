package io.katana.reactor.spi.ffm;

import static io.katana.reactor.spi.ffm.CapturedErrno.check;
import static io.katana.reactor.spi.ffm.CapturedErrno.unexpected;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.ListenOptions;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.BiFunction;

/**
 * The socket system calls every Linux FFM backend makes the same way: opening a listening or an
 * outgoing TCP socket with its options, connecting, socket options, addresses and shutdown. None of
 * them is on a read or write path; a backend keeps its own per-event calls.
 *
 * <p>Two conventions, by how the result is used: {@link #connect}, {@link #shutdown} and {@link
 * #lingerZero}, whose failure is routine, return {@code -errno} (turn it into an exception with
 * {@link ErrnoException#ErrnoException(String, int)} and the negated value); the set-up calls throw
 * {@link ErrnoException} naming the call.
 *
 * <p>The downcall handles are linked by the backend ({@link Functions#link}), so the restricted
 * step stays in the module that has native access; nothing here calls a restricted method.
 *
 * <p><b>Threading:</b> not thread-safe: one instance per thread, with that thread's {@code errno}
 * call state and scratch memory, allocated once; the allocator's memory must outlive it.
 */
public final class SocketCalls {
    /** {@code SOL_SOCKET}: the level of the generic socket options. */
    public static final int SOL_SOCKET = 1;
    /** {@code SO_REUSEADDR}. */
    public static final int SO_REUSEADDR = 2;
    /** {@code SO_ERROR}: the pending error, cleared by reading it. */
    public static final int SO_ERROR = 4;
    /** {@code SO_SNDBUF}. */
    public static final int SO_SNDBUF = 7;
    /** {@code SO_RCVBUF}. */
    public static final int SO_RCVBUF = 8;
    /** {@code SO_LINGER}. */
    public static final int SO_LINGER = 13;
    /** {@code SO_REUSEPORT}. */
    public static final int SO_REUSEPORT = 15;
    /** {@code IPPROTO_TCP}: the level of the TCP options. */
    public static final int IPPROTO_TCP = 6;
    /** {@code TCP_NODELAY}. */
    public static final int TCP_NODELAY = 1;
    /** {@code TCP_DEFER_ACCEPT}. */
    public static final int TCP_DEFER_ACCEPT = 9;
    /** {@code SHUT_WR}: no more sends. */
    public static final int SHUT_WR = 1;

    private static final int SOCK_STREAM = 1;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;

    private final Functions functions;
    private final MemorySegment callState;
    private final MemorySegment address;
    private final MemorySegment addressLength;
    private final MemorySegment optionValue;

    /**
     * Makes the calls of one thread.
     *
     * @param functions the backend's linked handles
     * @param allocator where the scratch memory lives; it must stay open while this instance is used
     */
    public SocketCalls(Functions functions, SegmentAllocator allocator) {
        this.functions = functions;
        MemorySegment scratch = allocator.allocate(192, 16);
        this.address = scratch.asSlice(0, SocketAddressCodec.SOCKADDR_STORAGE_SIZE);
        this.callState = scratch.asSlice(128, CapturedErrno.LAYOUT.byteSize());
        this.optionValue = scratch.asSlice(160, 8);
        this.addressLength = scratch.asSlice(168, 8);
    }

    /**
     * A bound, listening, non-blocking socket with {@code options}; closed again if any step fails.
     * Everything a listener's connections need is set here: Linux copies {@code TCP_NODELAY}, {@code
     * SO_RCVBUF} and {@code SO_SNDBUF} into every socket {@code accept4} returns, so an accepted
     * connection costs no {@code setsockopt}. {@code SO_RCVBUF} is set before {@code listen} so the
     * window scale offered in the handshake fits it.
     *
     * @param address the address to bind
     * @param options the listener's options
     * @return the socket's fd
     * @throws ErrnoException naming the step that failed
     */
    public int listening(InetSocketAddress address, ListenOptions options) throws ErrnoException {
        int fd = tcpSocket(SocketAddressCodec.family(address));
        try {
            setIfPositive(fd, SOL_SOCKET, SO_REUSEADDR, options.reuseAddress() ? 1 : 0, "SO_REUSEADDR");
            setIfPositive(fd, SOL_SOCKET, SO_REUSEPORT, options.reusePort() ? 1 : 0, "SO_REUSEPORT");
            setIfPositive(fd, SOL_SOCKET, SO_RCVBUF, options.receiveBufferSize(), "SO_RCVBUF");
            setIfPositive(fd, SOL_SOCKET, SO_SNDBUF, options.sendBufferSize(), "SO_SNDBUF");
            setIfPositive(fd, IPPROTO_TCP, TCP_NODELAY, options.tcpNoDelay() ? 1 : 0, "TCP_NODELAY");
            setIfPositive(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, options.deferAcceptSeconds(), "TCP_DEFER_ACCEPT");
            bind(fd, address);
            listen(fd, options.backlog());
            return fd;
        } catch (ErrnoException | RuntimeException e) {
            close(fd);
            throw e;
        }
    }

    /**
     * A non-blocking socket for connecting to {@code address} with {@code options}; closed again if
     * any step fails.
     *
     * @param address the address it will connect to, which decides the family
     * @param options the connection's options
     * @return the socket's fd
     * @throws ErrnoException naming the step that failed
     */
    public int outgoing(InetSocketAddress address, ConnectOptions options) throws ErrnoException {
        int fd = tcpSocket(SocketAddressCodec.family(address));
        try {
            setIfPositive(fd, IPPROTO_TCP, TCP_NODELAY, options.tcpNoDelay() ? 1 : 0, "TCP_NODELAY");
            setIfPositive(fd, SOL_SOCKET, SO_RCVBUF, options.receiveBufferSize(), "SO_RCVBUF");
            setIfPositive(fd, SOL_SOCKET, SO_SNDBUF, options.sendBufferSize(), "SO_SNDBUF");
            return fd;
        } catch (ErrnoException | RuntimeException e) {
            close(fd);
            throw e;
        }
    }

    private void setIfPositive(int fd, int level, int name, int value, String what) throws ErrnoException {
        if (value > 0) {
            setIntOption(fd, level, name, value, what);
        }
    }

    /**
     * {@return {@code address} as an IP socket address, when it is one and resolved}
     *
     * @param address what the caller passed
     * @param backend the backend's name, for the message
     * @throws IOException saying what to pass instead
     */
    public static InetSocketAddress requireInet(SocketAddress address, String backend) throws IOException {
        if (!(address instanceof InetSocketAddress inet)) {
            throw new IOException("the " + backend + " backend speaks TCP over IPv4 and IPv6 only; pass an "
                    + "InetSocketAddress, not " + address);
        }
        if (inet.isUnresolved()) {
            throw new IOException("the host name " + inet.getHostString()
                    + " is unresolved; resolve it first (new InetSocketAddress(host, port) does)");
        }
        return inet;
    }

    /**
     * {@code socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)}: a non-blocking TCP socket.
     *
     * @param family {@code AF_INET} or {@code AF_INET6}
     * @return the socket's fd
     * @throws ErrnoException if the kernel refused
     */
    public int tcpSocket(int family) throws ErrnoException {
        int fd;
        try {
            fd = (int) functions.socket.invokeExact(callState, family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (fd < 0) throw new ErrnoException("socket", errno());
        return fd;
    }

    /**
     * {@code setsockopt(fd, level, name, &value, 4)}.
     *
     * @param fd the socket
     * @param level such as {@link #SOL_SOCKET}
     * @param name such as {@link #SO_RCVBUF}
     * @param value the option's value
     * @param what the option's name, for the message
     * @throws ErrnoException if the kernel refused
     */
    public void setIntOption(int fd, int level, int name, int value, String what) throws ErrnoException {
        optionValue.set(JAVA_INT, 0, value);
        int result;
        try {
            result = (int) functions.setsockopt.invokeExact(callState, fd, level, name, optionValue.address(), 4);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (result < 0) throw new ErrnoException("setsockopt " + what + "=" + value, errno());
    }

    /**
     * {@code getsockopt(fd, level, name)} of an int option.
     *
     * @param fd the socket
     * @param level such as {@link #SOL_SOCKET}
     * @param name such as {@link #SO_RCVBUF}
     * @param what the option's name, for the message
     * @return the option's value
     * @throws ErrnoException if the kernel refused
     */
    public int getIntOption(int fd, int level, int name, String what) throws ErrnoException {
        optionValue.set(JAVA_INT, 0, 0);
        addressLength.set(JAVA_INT, 0, 4);
        int result;
        try {
            result = (int) functions.getsockopt.invokeExact(
                    callState, fd, level, name, optionValue.address(), addressLength.address());
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (result < 0) throw new ErrnoException("getsockopt " + what, errno());
        return optionValue.get(JAVA_INT, 0);
    }

    /**
     * {@return the pending socket error ({@code SO_ERROR}), cleared by reading it; 0 when there is none}
     *
     * @param fd the socket
     * @throws ErrnoException if the kernel refused
     */
    public int socketError(int fd) throws ErrnoException {
        return getIntOption(fd, SOL_SOCKET, SO_ERROR, "SO_ERROR");
    }

    /**
     * {@code setsockopt(fd, SOL_SOCKET, SO_LINGER, {1, 0})}: the next close of {@code fd} resets the
     * connection instead of leaving unsent bytes to the kernel.
     *
     * @param fd the socket
     * @return 0, or {@code -errno}
     */
    public int lingerZero(int fd) {
        optionValue.set(JAVA_INT, 0, 1); // struct linger: l_onoff
        optionValue.set(JAVA_INT, 4, 0); // l_linger, seconds
        try {
            return check((int) functions.setsockopt.invokeExact(callState, fd, SOL_SOCKET, SO_LINGER,
                    optionValue.address(), 8), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code bind(fd, local)}.
     *
     * @param fd the socket
     * @param local the address to bind
     * @throws ErrnoException naming the address, if the kernel refused
     */
    public void bind(int fd, InetSocketAddress local) throws ErrnoException {
        int length = SocketAddressCodec.encode(local, address);
        int result;
        try {
            result = (int) functions.bind.invokeExact(callState, fd, address.address(), length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (result < 0) throw new ErrnoException("bind " + describe(local), errno());
    }

    /**
     * {@code listen(fd, backlog)}.
     *
     * @param fd a bound socket
     * @param backlog the accept queue's length
     * @throws ErrnoException if the kernel refused
     */
    public void listen(int fd, int backlog) throws ErrnoException {
        int result;
        try {
            result = (int) functions.listen.invokeExact(callState, fd, backlog);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (result < 0) throw new ErrnoException("listen", errno());
    }

    /**
     * {@code connect(fd, remote)}.
     *
     * @param fd the socket
     * @param remote the address to connect to
     * @return 0, or {@code -errno} ({@code -EINPROGRESS} on a non-blocking socket)
     */
    public int connect(int fd, InetSocketAddress remote) {
        int length = SocketAddressCodec.encode(remote, address);
        try {
            return check((int) functions.connect.invokeExact(callState, fd, address.address(), length), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * Starts connecting the non-blocking socket {@code fd} to {@code remote}.
     *
     * @param fd the socket
     * @param remote the address to connect to
     * @return true when it connected at once, false when the connect is in progress ({@code
     *     EINPROGRESS}): the socket becomes writable when it ends, and {@link #socketError} tells how
     * @throws ErrnoException if the connect failed at once
     */
    public boolean startConnect(int fd, InetSocketAddress remote) throws ErrnoException {
        int connected = connect(fd, remote);
        if (connected != 0 && connected != -Errno.EINPROGRESS) {
            throw new ErrnoException("connect", -connected);
        }
        return connected == 0;
    }

    /**
     * {@code shutdown(fd, how)}.
     *
     * @param fd the socket
     * @param how such as {@link #SHUT_WR}
     * @return 0, or {@code -errno}
     */
    public int shutdown(int fd, int how) {
        try {
            return check((int) functions.shutdown.invokeExact(callState, fd, how), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@return {@code getsockname(fd)}, decoded; null when the socket's address is not an IP one}
     *
     * @param fd the socket
     * @throws ErrnoException if the kernel refused
     */
    public InetSocketAddress localAddress(int fd) throws ErrnoException {
        return address(functions.getsockname, fd, "getsockname");
    }

    /**
     * {@return {@code getpeername(fd)}, decoded; null when the peer's address is not an IP one}
     *
     * @param fd the socket
     * @throws ErrnoException if the kernel refused (the peer went away)
     */
    public InetSocketAddress peerAddress(int fd) throws ErrnoException {
        return address(functions.getpeername, fd, "getpeername");
    }

    /**
     * {@code getpeername} ({@code peer}) or {@code getsockname} of a connection's socket, for its
     * {@code remoteAddress()} or {@code localAddress()}: null when the call failed (the peer went
     * away) or the address is not an IP one.
     *
     * @param fd the socket
     * @param peer the peer's address rather than the local one
     * @return the address, or null
     */
    public InetSocketAddress addressOrNull(int fd, boolean peer) {
        try {
            return peer ? peerAddress(fd) : localAddress(fd);
        } catch (ErrnoException e) {
            return null;
        }
    }

    /**
     * As {@link #addressOrNull(int, boolean)}, for a thread with no instance of its own: with call
     * state made for this one call. The caller keeps {@code fd} from being closed meanwhile.
     *
     * @param functions the backend's linked handles
     * @param fd the socket
     * @param peer the peer's address rather than the local one
     * @return the address, or null
     */
    public static InetSocketAddress addressOrNull(Functions functions, int fd, boolean peer) {
        try (Arena arena = Arena.ofConfined()) {
            return new SocketCalls(functions, arena).addressOrNull(fd, peer);
        }
    }

    private InetSocketAddress address(MethodHandle call, int fd, String operation) throws ErrnoException {
        addressLength.set(JAVA_INT, 0, SocketAddressCodec.SOCKADDR_STORAGE_SIZE);
        int result;
        try {
            result = (int) call.invokeExact(callState, fd, address.address(), addressLength.address());
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (result < 0) throw new ErrnoException(operation, errno());
        return SocketAddressCodec.decodeInet(address, addressLength.get(JAVA_INT, 0));
    }

    /**
     * {@code close(fd)} of a socket that is not a connection's (one that failed during set-up, a
     * listening one): 0, or {@code -errno}. Never retried: on Linux the fd is released even when close
     * reports {@code EINTR}, and retrying could close a descriptor another thread just got.
     *
     * @param fd the socket
     * @return 0, or {@code -errno}
     */
    public int close(int fd) {
        try {
            return check((int) functions.close.invokeExact(callState, fd), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private int errno() {
        return CapturedErrno.errno(callState);
    }

    private static String describe(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * The C library's socket functions as downcall handles capturing {@code errno}, linked once by a
     * backend. Immutable; share one instance between threads.
     */
    public static final class Functions {
        private final MethodHandle socket;
        private final MethodHandle setsockopt;
        private final MethodHandle getsockopt;
        private final MethodHandle bind;
        private final MethodHandle listen;
        private final MethodHandle connect;
        private final MethodHandle getsockname;
        private final MethodHandle getpeername;
        private final MethodHandle shutdown;
        private final MethodHandle close;

        private Functions(BiFunction<String, FunctionDescriptor, MethodHandle> linker) {
            socket = linker.apply("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
            setsockopt = linker.apply("setsockopt",
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
            getsockopt = linker.apply("getsockopt",
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
            bind = linker.apply("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
            listen = linker.apply("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
            connect = linker.apply("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
            getsockname = linker.apply("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
            getpeername = linker.apply("getpeername", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
            shutdown = linker.apply("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
            close = linker.apply("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        }

        /**
         * Links the functions. The backend does the linking because it is restricted: {@code linker}
         * is called once per function with the C name and its descriptor (pointers as 64-bit
         * addresses, without the call-state parameter) and returns the downcall handle linked with
         * {@link CapturedErrno#OPTION}.
         *
         * @param linker the backend's {@code (name, descriptor) -> Linker.downcallHandle(...)}
         * @return the linked functions
         */
        public static Functions link(BiFunction<String, FunctionDescriptor, MethodHandle> linker) {
            return new Functions(linker);
        }
    }
}
