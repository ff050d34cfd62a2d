package com.example.katana.logging;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.spi.ForwardingReactorGroup;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A reactor group that hands every connection's events to a {@link LoggingHandler} around the
 * application's handler, and otherwise delegates; its connections are thin decorators of the
 * delegate's, so that each names this group as its own.
 *
 * <p><b>Threading:</b> as the delegate: every method is safe from any thread.
 */
final class LoggingReactorGroup extends ForwardingReactorGroup {

    LoggingReactorGroup(String name, ReactorGroup delegate) {
        super(name, delegate);
    }

    @Override
    public Listener listen(SocketAddress address, ListenOptions options, Supplier<? extends ConnectionHandler> handlers)
            throws IOException {
        return delegate().listen(address, options, () -> new LoggingHandler(this, handlers.get()));
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress address, ConnectOptions options, ConnectionHandler handler) {
        LoggingHandler logging = new LoggingHandler(this, handler);
        return delegate().connect(address, options, logging).thenApply(logging::decorated);
    }
}
