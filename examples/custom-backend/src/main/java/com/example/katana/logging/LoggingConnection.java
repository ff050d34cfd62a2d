package com.example.katana.logging;

import io.katana.reactor.Connection;
import io.katana.reactor.Reactor;
import io.katana.reactor.spi.ForwardingConnection;

/**
 * A delegate's connection that names the decorating reactor as its own.
 *
 * <p><b>Threading:</b> as the delegate: every method from any thread.
 */
final class LoggingConnection extends ForwardingConnection {
    private final Reactor reactor;

    LoggingConnection(Connection delegate, Reactor reactor) {
        super(delegate);
        this.reactor = reactor;
    }

    @Override
    public Reactor reactor() {
        return reactor;
    }
}
