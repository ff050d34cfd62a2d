package io.katana.reactor.epoll;

import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.spi.AbstractListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One or more {@link EpollAcceptor}s bound to one address: one per reactor with {@code
 * SO_REUSEPORT}, otherwise one.
 *
 * <p><b>Threading:</b> safe from any thread.
 */
final class EpollListener extends AbstractListener<EpollReactorGroup> {
    private final InetSocketAddress connectionLocalAddress;
    private volatile List<EpollAcceptor> acceptors = List.of();

    EpollListener(EpollReactorGroup group, InetSocketAddress address, ListenOptions options,
            Supplier<? extends ConnectionHandler> handlers) {
        super(group, address, options, handlers);
        // Bound to one address, every accepted socket has it as its local address: no getsockname.
        this.connectionLocalAddress = address.getAddress().isAnyLocalAddress() ? null : address;
    }

    /** Starts every acceptor and returns once all of them accept. */
    void start(List<EpollAcceptor> created) throws IOException {
        acceptors = List.copyOf(created);
        awaitAccepting(created.stream().map(EpollAcceptor::start).toList());
    }

    /** The local address of accepted connections when it is known without asking, else null. */
    InetSocketAddress connectionLocalAddress() {
        return connectionLocalAddress;
    }

    @Override
    protected CompletableFuture<?> closeSockets() {
        return CompletableFuture.allOf(acceptors.stream().map(EpollAcceptor::close).toArray(CompletableFuture[]::new));
    }
}
