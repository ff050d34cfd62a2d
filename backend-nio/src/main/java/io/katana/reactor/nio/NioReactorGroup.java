package io.katana.reactor.nio;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.spi.AbstractReactorGroup;
import io.katana.reactor.spi.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A group of {@link NioReactor}s.
 *
 * <p><b>Threading:</b> safe from any thread.
 */
final class NioReactorGroup extends AbstractReactorGroup {

    NioReactorGroup(ReactorConfig config) {
        super(NioReactorProvider.NAME, config);
        startReactors(index -> new NioReactor(this, config, index));
    }

    @Override
    public Listener listen(SocketAddress address, ListenOptions options, Supplier<? extends ConnectionHandler> handlers)
            throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handlers, "handlers");
        ensureRunning();
        List<EventLoop> loops = eventLoops();
        int count = options.reusePort() ? loops.size() : 1;
        List<ServerSocketChannel> servers = new ArrayList<>(count);
        InetSocketAddress bound = null;
        try {
            for (int i = 0; i < count; i++) {
                ServerSocketChannel server = ServerSocketChannel.open();
                servers.add(server);
                server.configureBlocking(false);
                server.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
                if (options.reusePort()) {
                    server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                if (options.receiveBufferSize() > 0) {
                    server.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
                }
                // Later sockets bind the port the first one got, so port 0 works with SO_REUSEPORT.
                server.bind(bound == null ? address : bound, options.backlog());
                if (bound == null) {
                    bound = (InetSocketAddress) server.getLocalAddress();
                }
            }
        } catch (IOException | RuntimeException e) {
            for (ServerSocketChannel server : servers) {
                server.close();
            }
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        NioListener listener = new NioListener(this, bound, options, handlers);
        List<NioAcceptor> acceptors = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            NioReactor reactor = (NioReactor) (options.reusePort() ? loops.get(i) : next());
            acceptors.add(new NioAcceptor(listener, reactor, servers.get(i)));
        }
        listener.start(acceptors);
        return listener;
    }

    /** Loop only (on {@code reactor}): makes an accepted channel a connection of {@code reactor}. */
    void adopt(NioReactor reactor, SocketChannel channel, NioListener listener) {
        if (isShuttingDown()) { // accepted before the shutdown began, adopted after: close it, unopened
            closeQuietly(channel);
            listener.release();
            return;
        }
        ConnectionHandler handler;
        try {
            handler = listener.newHandler();
        } catch (RuntimeException e) {
            closeQuietly(channel);
            listener.release();
            throw e;
        }
        NioConnection connection = new NioConnection(reactor, nextConnectionId(), channel,
                listener.options().waterMarks(), handler, listener::release);
        connection.register(null, false);
    }

    long newConnectionId() {
        return nextConnectionId();
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress address, ConnectOptions options, ConnectionHandler handler) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        CompletableFuture<Connection> result = new CompletableFuture<>();
        if (isShuttingDown()) {
            result.completeExceptionally(new IllegalStateException("this nio reactor group is shutting down"));
            return result;
        }
        NioReactor reactor = (NioReactor) next();
        try {
            reactor.execute(() -> new NioConnectAttempt(this, reactor, address, options, handler, result).start());
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
