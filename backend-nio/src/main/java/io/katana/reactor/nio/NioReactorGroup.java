package io.katana.reactor.nio;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.spi.AbstractAcceptor;
import io.katana.reactor.spi.AbstractConnectAttempt;
import io.katana.reactor.spi.AbstractListener;
import io.katana.reactor.spi.AbstractReactorGroup;
import io.katana.reactor.spi.EventLoop;
import io.katana.reactor.spi.ListeningSockets;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A group of {@link NioReactor}s: the channel calls behind {@link AbstractReactorGroup}'s listen and
 * connect.
 *
 * <p><b>Threading:</b> safe from any thread.
 */
final class NioReactorGroup extends AbstractReactorGroup {

    NioReactorGroup(ReactorConfig config) {
        super(NioReactorProvider.NAME, config);
        startReactors(index -> new NioReactor(this, config, index));
    }

    @Override
    protected ListeningSockets<ServerSocketChannel> listeningSockets() {
        return new ListeningSockets<>() {
            @Override
            public ServerSocketChannel open(SocketAddress address, ListenOptions options) throws IOException {
                ServerSocketChannel server = ServerSocketChannel.open();
                try {
                    server.configureBlocking(false);
                    server.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
                    if (options.reusePort()) {
                        server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                    }
                    if (options.receiveBufferSize() > 0) {
                        server.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
                    }
                    server.bind(address, options.backlog());
                    return server;
                } catch (IOException | RuntimeException e) {
                    closeQuietly(server);
                    throw e;
                }
            }

            @Override
            public InetSocketAddress localAddress(ServerSocketChannel server) throws IOException {
                return (InetSocketAddress) server.getLocalAddress();
            }

            @Override
            public void close(ServerSocketChannel server) {
                closeQuietly(server);
            }

            @Override
            public AbstractListener<?> newListener(InetSocketAddress bound, ListenOptions options,
                    Supplier<? extends ConnectionHandler> handlers) {
                return new NioListener(NioReactorGroup.this, bound, options, handlers);
            }

            @Override
            public AbstractAcceptor<?> newAcceptor(AbstractListener<?> listener, EventLoop loop,
                    ServerSocketChannel server) {
                return new NioAcceptor(listener, (NioReactor) loop, server);
            }
        };
    }

    @Override
    protected AbstractConnectAttempt newConnectAttempt(EventLoop reactor, SocketAddress address,
            ConnectOptions options, ConnectionHandler handler, CompletableFuture<Connection> result) {
        return new NioConnectAttempt((NioReactor) reactor, address, options, handler, result);
    }

    /** A new connection id of {@code reactor}'s group. */
    static long connectionId(Reactor reactor) {
        return ((NioReactorGroup) reactor.group()).nextConnectionId();
    }

    /** Makes {@code channel} non-blocking with the given options (0: the system's buffer size). */
    static void configure(SocketChannel channel, boolean noDelay, int receiveBuffer, int sendBuffer) throws IOException {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, noDelay);
        if (receiveBuffer > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
        }
        if (sendBuffer > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, sendBuffer);
        }
    }

    static void closeQuietly(Closeable channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
