package io.katana.reactor.epoll;

import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.spi.AbstractListener;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * One or more {@link EpollAcceptor}s bound to one address: one per reactor with {@code
 * SO_REUSEPORT}, otherwise one.
 *
 * <p><b>Threading:</b> safe from any thread.
 */
final class EpollListener extends AbstractListener<EpollReactorGroup> {
    private final InetSocketAddress connectionLocalAddress;

    EpollListener(EpollReactorGroup group, InetSocketAddress address, ListenOptions options,
            Supplier<? extends ConnectionHandler> handlers) {
        super(group, address, options, handlers);
        // Bound to one address, every accepted socket has it as its local address: no getsockname.
        this.connectionLocalAddress = address.getAddress().isAnyLocalAddress() ? null : address;
    }

    /** The local address of accepted connections when it is known without asking, else null. */
    InetSocketAddress connectionLocalAddress() {
        return connectionLocalAddress;
    }
}
