package io.katana.reactor.uring;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.spi.AbstractAcceptor;
import io.katana.reactor.spi.AbstractConnectAttempt;
import io.katana.reactor.spi.AbstractListener;
import io.katana.reactor.spi.AbstractReactorGroup;
import io.katana.reactor.spi.EventLoop;
import io.katana.reactor.spi.ListeningSockets;
import io.katana.reactor.spi.ffm.ErrnoException;
import io.katana.reactor.spi.ffm.SocketAddressCodec;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A group of {@link UringReactor}s: the system calls behind {@link AbstractReactorGroup}'s listen
 * and connect. Listening sockets are opened with plain system calls on the calling thread (so a bind
 * failure is thrown to the caller) and then handed to their reactors' rings. Everything a listener's
 * connections need is set on the listening socket, which Linux copies into every accepted one.
 *
 * <p><b>Threading:</b> safe from any thread.
 */
final class UringReactorGroup extends AbstractReactorGroup {

    UringReactorGroup(ReactorConfig config) {
        super(UringReactorProvider.NAME, config);
        startReactors(index -> new UringReactor(this, config, index));
    }

    @Override
    protected ListeningSockets<Integer> listeningSockets() {
        return new ListeningSockets<>() {
            private final Arena arena = Arena.ofConfined();
            private final SystemCalls calls = new SystemCalls(arena);

            @Override
            public Integer open(SocketAddress address, ListenOptions options) throws IOException {
                InetSocketAddress inet = requireInet(address);
                int fd = calls.tcpSocket(SocketAddressCodec.family(inet));
                try {
                    setOption(fd, options.reuseAddress() ? 1 : 0, SystemCalls.SOL_SOCKET, SystemCalls.SO_REUSEADDR, "SO_REUSEADDR");
                    setOption(fd, options.reusePort() ? 1 : 0, SystemCalls.SOL_SOCKET, SystemCalls.SO_REUSEPORT, "SO_REUSEPORT");
                    setOption(fd, options.receiveBufferSize(), SystemCalls.SOL_SOCKET, SystemCalls.SO_RCVBUF, "SO_RCVBUF");
                    setOption(fd, options.sendBufferSize(), SystemCalls.SOL_SOCKET, SystemCalls.SO_SNDBUF, "SO_SNDBUF");
                    setOption(fd, options.tcpNoDelay() ? 1 : 0, SystemCalls.IPPROTO_TCP, SystemCalls.TCP_NODELAY, "TCP_NODELAY");
                    setOption(fd, options.deferAcceptSeconds(), SystemCalls.IPPROTO_TCP, SystemCalls.TCP_DEFER_ACCEPT,
                            "TCP_DEFER_ACCEPT");
                    calls.bind(fd, inet);
                    calls.listen(fd, options.backlog());
                    return fd;
                } catch (ErrnoException | RuntimeException e) {
                    calls.close(fd);
                    throw e;
                }
            }

            private void setOption(int fd, int value, int level, int name, String what) throws ErrnoException {
                if (value > 0) {
                    calls.setIntOption(fd, level, name, value, what);
                }
            }

            @Override
            public InetSocketAddress localAddress(Integer fd) throws ErrnoException {
                return calls.address(fd, false);
            }

            @Override
            public void close(Integer fd) {
                calls.close(fd);
            }

            @Override
            public AbstractListener<?> newListener(InetSocketAddress bound, ListenOptions options,
                    Supplier<? extends ConnectionHandler> handlers) {
                return new AbstractListener<>(UringReactorGroup.this, bound, options, handlers) {};
            }

            @Override
            public AbstractAcceptor<?> newAcceptor(AbstractListener<?> listener, EventLoop loop, Integer fd) {
                return new UringAcceptor(listener, (UringReactor) loop, fd);
            }

            @Override
            public void close() {
                arena.close();
            }
        };
    }

    @Override
    protected AbstractConnectAttempt newConnectAttempt(EventLoop reactor, SocketAddress address,
            ConnectOptions options, ConnectionHandler handler, CompletableFuture<Connection> result) {
        return new UringConnectAttempt((UringReactor) reactor, address, options, handler, result);
    }

    long newConnectionId() {
        return nextConnectionId();
    }

    /** A non-blocking socket for connecting to {@code address} with {@code options}; closed again on failure. */
    static int outgoingSocket(SystemCalls calls, InetSocketAddress address, ConnectOptions options) throws ErrnoException {
        int fd = calls.tcpSocket(SocketAddressCodec.family(address));
        try {
            if (options.tcpNoDelay()) {
                calls.setIntOption(fd, SystemCalls.IPPROTO_TCP, SystemCalls.TCP_NODELAY, 1, "TCP_NODELAY");
            }
            if (options.receiveBufferSize() > 0) {
                calls.setIntOption(fd, SystemCalls.SOL_SOCKET, SystemCalls.SO_RCVBUF, options.receiveBufferSize(), "SO_RCVBUF");
            }
            if (options.sendBufferSize() > 0) {
                calls.setIntOption(fd, SystemCalls.SOL_SOCKET, SystemCalls.SO_SNDBUF, options.sendBufferSize(), "SO_SNDBUF");
            }
            return fd;
        } catch (ErrnoException | RuntimeException e) {
            calls.close(fd);
            throw e;
        }
    }

    static InetSocketAddress requireInet(SocketAddress address) throws IOException {
        if (!(address instanceof InetSocketAddress inet) || inet.isUnresolved()) {
            throw new IOException("the io_uring backend speaks TCP over IPv4 and IPv6 to a resolved address; "
                    + "pass a resolved InetSocketAddress (new InetSocketAddress(host, port) resolves), not " + address);
        }
        return inet;
    }
}
