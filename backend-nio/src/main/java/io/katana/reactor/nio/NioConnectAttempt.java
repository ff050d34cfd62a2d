package io.katana.reactor.nio;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ScheduledTask;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One outgoing connect: a non-blocking connect, a wait for {@code OP_CONNECT} bounded by the
 * timeout, then a {@link NioConnection} on the same reactor.
 *
 * <p><b>Threading:</b> loop only.
 */
final class NioConnectAttempt implements SelectionHandler {
    private final NioReactorGroup group;
    private final NioReactor reactor;
    private final SocketAddress address;
    private final ConnectOptions options;
    private final ConnectionHandler handler;
    private final CompletableFuture<Connection> result;
    private SocketChannel channel;
    private SelectionKey key;
    private ScheduledTask timeout;

    NioConnectAttempt(NioReactorGroup group, NioReactor reactor, SocketAddress address, ConnectOptions options,
            ConnectionHandler handler, CompletableFuture<Connection> result) {
        this.group = group;
        this.reactor = reactor;
        this.address = address;
        this.options = options;
        this.handler = handler;
        this.result = result;
    }

    void start() {
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, options.tcpNoDelay());
            if (options.receiveBufferSize() > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
            }
            if (options.sendBufferSize() > 0) {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBufferSize());
            }
            if (channel.connect(address)) {
                established();
                return;
            }
            key = channel.register(reactor.selector(), SelectionKey.OP_CONNECT, this);
            timeout = reactor.schedule(options.timeout().toNanos(), TimeUnit.NANOSECONDS, this::timedOut);
        } catch (IOException | RuntimeException e) {
            fail(asConnectFailure(e));
        }
    }

    @Override
    public void ready(int readyOps) {
        try {
            if (channel.finishConnect()) {
                timeout.cancel();
                established();
            }
        } catch (IOException | RuntimeException e) {
            timeout.cancel();
            fail(asConnectFailure(e));
        }
    }

    private void established() {
        NioConnection connection = new NioConnection(reactor, group.newConnectionId(), channel,
                options.waterMarks(), handler, () -> {});
        SelectionKey existing = key;
        key = null;
        connection.register(existing, true);
        result.complete(connection);
    }

    private void timedOut() {
        fail(new SocketTimeoutException("connect to " + address + " timed out after "
                + options.timeout().toMillis() + " ms"));
    }

    private void fail(Throwable cause) {
        if (key != null) {
            key.cancel();
        }
        if (channel != null) {
            NioReactorGroup.closeQuietly(channel);
        }
        result.completeExceptionally(cause);
    }

    private Throwable asConnectFailure(Throwable e) {
        if (e instanceof ConnectException || e instanceof SocketTimeoutException) {
            return e;
        }
        ConnectException failure = new ConnectException("connect to " + address + " failed: " + e.getMessage());
        failure.initCause(e);
        return failure;
    }
}
