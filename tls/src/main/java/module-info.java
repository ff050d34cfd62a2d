/**
 * Katana's TLS layer: wraps any {@link io.katana.reactor.ConnectionHandler}, server or client side, so
 * that it speaks plaintext while the connection carries TLS 1.2 or 1.3, on any backend. Engines are
 * found with {@link java.util.ServiceLoader} like backends: {@code jdk} ({@link javax.net.ssl.SSLEngine},
 * always available) ships here; {@link io.katana.tls.TlsEngines} picks the best available one, and
 * {@code -Dkatana.tls=NAME} (or {@code KATANA_TLS}) forces one.
 *
 * @uses io.katana.tls.spi.TlsEngineProvider to find the TLS engines
 * @provides io.katana.tls.spi.TlsEngineProvider the {@code jdk} engine
 */
module io.katana.tls {
    requires transitive io.katana.reactor;
    requires org.slf4j;
    requires static com.google.auto.service;

    exports io.katana.tls;
    exports io.katana.tls.spi;

    uses io.katana.tls.spi.TlsEngineProvider;

    provides io.katana.tls.spi.TlsEngineProvider with io.katana.tls.jdk.JdkTlsEngineProvider;
}
