/**
 * Katana's reactor API and SPI.
 *
 * <p>{@code io.katana.reactor} is what an application uses: pick a backend with {@link
 * io.katana.reactor.Reactors}, open a {@link io.katana.reactor.ReactorGroup}, listen or connect, and
 * handle {@link io.katana.reactor.Connection}s with a {@link io.katana.reactor.ConnectionHandler}.
 * {@code io.katana.reactor.spi} is what a backend implements and the machinery it may reuse.
 */
module io.katana.reactor {
    requires org.slf4j;
    requires jdk.jfr;

    exports io.katana.reactor;
    exports io.katana.reactor.spi;
    exports io.katana.reactor.spi.ffm;
    exports io.katana.reactor.jfr;

    uses io.katana.reactor.spi.ReactorProvider;
}
