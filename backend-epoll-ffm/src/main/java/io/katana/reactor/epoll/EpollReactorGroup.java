package io.katana.reactor.epoll;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.epoll.ffi.Syscalls;
import io.katana.reactor.spi.AbstractAcceptor;
import io.katana.reactor.spi.AbstractConnectAttempt;
import io.katana.reactor.spi.AbstractListener;
import io.katana.reactor.spi.AbstractReactorGroup;
import io.katana.reactor.spi.EventLoop;
import io.katana.reactor.spi.ListeningSockets;
import io.katana.reactor.spi.ffm.DescriptorListeningSockets;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A group of {@link EpollReactor}s: the system calls behind {@link AbstractReactorGroup}'s listen
 * and connect. Listening sockets are opened on the calling thread (so a bind failure is thrown to
 * the caller), with call state of their own, and then handed to their reactors.
 *
 * <p><b>Threading:</b> safe from any thread.
 */
final class EpollReactorGroup extends AbstractReactorGroup {

    EpollReactorGroup(ReactorConfig config, TriggerMode mode) {
        super(EpollReactorProvider.NAME, config);
        startReactors(index -> new EpollReactor(this, config, index, mode));
    }

    @Override
    protected ListeningSockets<Integer> listeningSockets() {
        return new DescriptorListeningSockets(EpollReactorProvider.NAME, Syscalls.socketFunctions()) {
            @Override
            public AbstractListener<?> newListener(InetSocketAddress bound, ListenOptions options,
                    Supplier<? extends ConnectionHandler> handlers) {
                return new EpollListener(EpollReactorGroup.this, bound, options, handlers);
            }

            @Override
            public AbstractAcceptor<?> newAcceptor(AbstractListener<?> listener, EventLoop loop, Integer fd) {
                return new EpollAcceptor((EpollListener) listener, (EpollReactor) loop, fd);
            }
        };
    }

    @Override
    protected AbstractConnectAttempt newConnectAttempt(EventLoop reactor, SocketAddress address,
            ConnectOptions options, ConnectionHandler handler, CompletableFuture<Connection> result) {
        return new EpollConnectAttempt((EpollReactor) reactor, address, options, handler, result);
    }

    long newConnectionId() {
        return nextConnectionId();
    }
}
