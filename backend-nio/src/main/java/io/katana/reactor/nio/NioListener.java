package io.katana.reactor.nio;

import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.spi.AbstractListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One or more {@link NioAcceptor}s bound to the same address: one per reactor with {@code
 * SO_REUSEPORT}, otherwise one.
 *
 * <p><b>Threading:</b> safe from any thread.
 */
final class NioListener extends AbstractListener<NioReactorGroup> {
    private volatile List<NioAcceptor> acceptors = List.of();

    NioListener(NioReactorGroup group, InetSocketAddress address, ListenOptions options,
            Supplier<? extends ConnectionHandler> handlers) {
        super(group, address, options, handlers);
    }

    /** Starts every acceptor and returns once all of them accept. */
    void start(List<NioAcceptor> created) throws IOException {
        acceptors = List.copyOf(created);
        awaitAccepting(created.stream().map(NioAcceptor::start).toList());
    }

    @Override
    protected CompletableFuture<?> closeSockets() {
        return CompletableFuture.allOf(acceptors.stream().map(NioAcceptor::close).toArray(CompletableFuture[]::new));
    }
}
