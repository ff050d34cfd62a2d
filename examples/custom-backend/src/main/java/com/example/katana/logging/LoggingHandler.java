package com.example.katana.logging;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a connection's open and close, and passes every event on to the application's handler with
 * the decorated connection in place of the delegate's.
 *
 * <p><b>Threading:</b> called on the connection's reactor thread, like the handler it wraps; one
 * instance per connection.
 */
final class LoggingHandler implements ConnectionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingHandler.class);

    private final LoggingReactorGroup group;
    private final ConnectionHandler application;
    private volatile LoggingConnection connection;

    LoggingHandler(LoggingReactorGroup group, ConnectionHandler application) {
        this.group = group;
        this.application = application;
    }

    /** The decorated form of {@code inner}, made once per connection. */
    LoggingConnection decorated(Connection inner) {
        LoggingConnection current = connection;
        if (current == null) {
            current = new LoggingConnection(inner, group.decorated(inner.reactor()));
            connection = current;
        }
        return current;
    }

    @Override
    public void onOpen(Connection inner) {
        LoggingConnection outer = decorated(inner);
        LOG.debug("open  #{} {} -> {}", inner.id(), inner.remoteAddress(), inner.localAddress());
        application.onOpen(outer);
    }

    @Override
    public void onRead(Connection inner, ByteBuffer data) {
        application.onRead(decorated(inner), data);
    }

    @Override
    public void onWritabilityChanged(Connection inner, boolean writable) {
        application.onWritabilityChanged(decorated(inner), writable);
    }

    @Override
    public void onInputClosed(Connection inner) {
        application.onInputClosed(decorated(inner));
    }

    @Override
    public void onClose(Connection inner, Throwable cause) {
        if (cause == null) {
            LOG.debug("close #{}", inner.id());
        } else {
            LOG.debug("close #{} by {}", inner.id(), cause.toString());
        }
        application.onClose(decorated(inner), cause);
    }
}
