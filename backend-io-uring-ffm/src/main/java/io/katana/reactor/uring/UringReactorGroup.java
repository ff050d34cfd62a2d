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
import io.katana.reactor.spi.ffm.DescriptorListeningSockets;
import io.katana.reactor.spi.ffm.SocketCalls;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A group of {@link UringReactor}s: the system calls behind {@link AbstractReactorGroup}'s listen
 * and connect. Listening sockets are opened with plain system calls on the calling thread (so a bind
 * failure is thrown to the caller) and then handed to their reactors' rings; see {@link
 * SocketCalls#listening} for why every option is set on the listening socket.
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
        return new DescriptorListeningSockets(UringReactorProvider.NAME, Libc.SOCKETS) {
            @Override
            public AbstractListener<?> newListener(InetSocketAddress bound, ListenOptions options,
                    Supplier<? extends ConnectionHandler> handlers) {
                return new AbstractListener<>(UringReactorGroup.this, bound, options, handlers) {};
            }

            @Override
            public AbstractAcceptor<?> newAcceptor(AbstractListener<?> listener, EventLoop loop, Integer fd) {
                return new UringAcceptor(listener, (UringReactor) loop, fd);
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
}
