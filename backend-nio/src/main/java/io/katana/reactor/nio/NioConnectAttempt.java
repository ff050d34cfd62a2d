package io.katana.reactor.nio;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.spi.AbstractConnectAttempt;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;

/**
 * One outgoing connect on a {@link SocketChannel}: the system calls of an {@link
 * AbstractConnectAttempt}, which bounds the wait and reports the outcome.
 *
 * <p><b>Threading:</b> loop only.
 */
final class NioConnectAttempt extends AbstractConnectAttempt implements SelectionHandler {
    private final NioReactor reactor;
    private SocketChannel channel;
    private SelectionKey key;

    NioConnectAttempt(NioReactor reactor, SocketAddress address, ConnectOptions options, ConnectionHandler handler,
            CompletableFuture<Connection> result) {
        super(reactor, address, options, handler, result);
        this.reactor = reactor;
    }

    @Override
    protected boolean connect() throws IOException {
        ConnectOptions options = options();
        channel = SocketChannel.open();
        NioReactorGroup.configure(channel, options.tcpNoDelay(), options.receiveBufferSize(), options.sendBufferSize());
        return channel.connect(address());
    }

    @Override
    protected void register() throws IOException {
        key = channel.register(reactor.selector(), SelectionKey.OP_CONNECT, this);
    }

    @Override
    public void ready(int readyOps) {
        connectReady(readyOps);
    }

    @Override
    protected boolean finishConnect(int readyOps) throws IOException {
        return channel.finishConnect();
    }

    @Override
    protected Connection newConnection(long id) {
        NioConnection connection = new NioConnection(reactor, id, channel, options().waterMarks(), handler(), () -> {});
        SelectionKey existing = key;
        key = null;
        connection.register(existing, true);
        return connection;
    }

    @Override
    protected void closeSocket() {
        if (key != null) {
            key.cancel();
        }
        if (channel != null) {
            NioReactorGroup.closeQuietly(channel);
        }
    }
}
