package io.katana.reactor.nio;

import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.spi.AbstractAcceptor;
import io.katana.reactor.spi.AbstractListener;
import io.katana.reactor.spi.EventLoop;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * One listening channel on one reactor: the system calls of an {@link AbstractAcceptor}, which
 * accepts, admits, hands off and pauses.
 *
 * <p><b>Threading:</b> as {@link AbstractAcceptor}.
 */
final class NioAcceptor extends AbstractAcceptor<SocketChannel> implements SelectionHandler {
    private final NioReactor reactor;
    private final ServerSocketChannel server;
    private SelectionKey key;

    NioAcceptor(AbstractListener<?> listener, NioReactor reactor, ServerSocketChannel server) {
        super(listener, reactor);
        this.reactor = reactor;
        this.server = server;
    }

    @Override
    protected void register() throws IOException {
        key = server.register(reactor.selector(), SelectionKey.OP_ACCEPT, this);
    }

    @Override
    public void ready(int readyOps) {
        acceptReady();
    }

    @Override
    protected SocketChannel acceptOne() throws IOException {
        return server.accept();
    }

    @Override
    protected void setAccepting(boolean accepting) {
        if (key.isValid()) {
            key.interestOps(accepting ? SelectionKey.OP_ACCEPT : 0);
        }
    }

    @Override
    protected void adopt(EventLoop target, SocketChannel channel, ConnectionHandler handler) throws IOException {
        ListenOptions options = listener().options();
        NioReactorGroup.configure(channel, options.tcpNoDelay(), options.receiveBufferSize(), options.sendBufferSize());
        new NioConnection((NioReactor) target, NioReactorGroup.connectionId(target), channel,
                options.waterMarks(), handler, listener()::release).register(null, false);
    }

    @Override
    protected void closeAccepted(SocketChannel channel) {
        NioReactorGroup.closeQuietly(channel);
    }

    @Override
    protected void closeListeningSocket() {
        if (key != null) {
            key.cancel();
        }
        NioReactorGroup.closeQuietly(server);
        if (reactor.inEventLoop()) {
            reactor.releaseCancelledKeys(); // a closed listener must refuse connections from now on
        }
    }
}
