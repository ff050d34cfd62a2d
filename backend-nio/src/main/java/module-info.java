/** Katana's portable backend on {@link java.nio.channels.Selector}. */
module io.katana.reactor.nio {
    requires io.katana.reactor;
    requires org.slf4j;
    requires static com.google.auto.service;

    provides io.katana.reactor.spi.ReactorProvider with io.katana.reactor.nio.NioReactorProvider;
}
