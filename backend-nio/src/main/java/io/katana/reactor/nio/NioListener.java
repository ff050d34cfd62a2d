package io.katana.reactor.nio;

import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.spi.AbstractListener;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * A listener of the nio backend: {@link AbstractListener} as it is, its {@link NioAcceptor}s bound
 * to one address.
 *
 * <p><b>Threading:</b> safe from any thread.
 */
final class NioListener extends AbstractListener<NioReactorGroup> {

    NioListener(NioReactorGroup group, InetSocketAddress address, ListenOptions options,
            Supplier<? extends ConnectionHandler> handlers) {
        super(group, address, options, handlers);
    }
}
