/**
 * Katana's portable backend, {@code nio}, on {@link java.nio.channels.Selector}: it runs wherever the
 * JDK does, and {@link io.katana.reactor.Reactors} falls back to it where {@code epoll-ffm} cannot run
 * (priority 10 against 100). It exports nothing: its one service is a {@link
 * io.katana.reactor.spi.ReactorProvider} named {@code nio}, which applications reach through {@link
 * io.katana.reactor.Reactors} with the module on the module path or the jar on the class path, and
 * which {@code -Dkatana.reactor=nio} forces.
 *
 * @provides io.katana.reactor.spi.ReactorProvider the {@code nio} backend
 */
module io.katana.reactor.nio {
    requires io.katana.reactor;
    requires org.slf4j;
    requires static com.google.auto.service;

    provides io.katana.reactor.spi.ReactorProvider with io.katana.reactor.nio.NioReactorProvider;
}
