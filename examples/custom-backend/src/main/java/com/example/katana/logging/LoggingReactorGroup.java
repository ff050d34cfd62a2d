package com.example.katana.logging;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.spi.ForwardingReactor;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A reactor group that hands every connection's events to a {@link LoggingHandler} around the
 * application's handler, and otherwise delegates. Its reactors and connections are thin decorators
 * of the delegate's, so that each names this group as its own.
 *
 * <p><b>Threading:</b> as the delegate: every method is safe from any thread.
 */
final class LoggingReactorGroup implements ReactorGroup {
    private final String name;
    private final ReactorGroup delegate;
    private final List<Reactor> reactors;

    LoggingReactorGroup(String name, ReactorGroup delegate) {
        this.name = name;
        this.delegate = delegate;
        this.reactors = delegate.reactors().stream().<Reactor>map(r -> new ForwardingReactor(r, this)).toList();
    }

    @Override
    public String backend() {
        return name;
    }

    @Override
    public List<Reactor> reactors() {
        return reactors;
    }

    @Override
    public Reactor next() {
        return decorated(delegate.next());
    }

    /** The decorating reactor of one of the delegate's reactors. */
    Reactor decorated(Reactor inner) {
        for (Reactor reactor : reactors) {
            if (((ForwardingReactor) reactor).wraps(inner)) {
                return reactor;
            }
        }
        throw new IllegalArgumentException(inner + " is not a reactor of " + delegate);
    }

    @Override
    public Listener listen(SocketAddress address, ListenOptions options, Supplier<? extends ConnectionHandler> handlers)
            throws IOException {
        return delegate.listen(address, options, () -> new LoggingHandler(this, handlers.get()));
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress address, ConnectOptions options, ConnectionHandler handler) {
        LoggingHandler logging = new LoggingHandler(this, handler);
        return delegate.connect(address, options, logging).thenApply(logging::decorated);
    }

    @Override
    public CompletableFuture<Void> shutdownGracefully(Duration timeout) {
        return delegate.shutdownGracefully(timeout);
    }

    @Override
    public boolean isShuttingDown() {
        return delegate.isShuttingDown();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
