/** An example third-party Katana backend: {@code nio} with a log line per connection event. */
module com.example.katana.logging {
    requires io.katana.reactor;
    requires org.slf4j;
    requires static com.google.auto.service;

    provides io.katana.reactor.spi.ReactorProvider with com.example.katana.logging.LoggingReactorProvider;
}
