package io.katana.tls.jdk;

import com.google.auto.service.AutoService;
import io.katana.reactor.Availability;
import io.katana.tls.TlsClientConfig;
import io.katana.tls.TlsServerConfig;
import io.katana.tls.spi.TlsContext;
import io.katana.tls.spi.TlsEngineProvider;

/**
 * The {@code jdk} TLS engine: the JDK's own {@link javax.net.ssl.SSLEngine}. Always available, no
 * native code; priority 10, below a native engine.
 *
 * <p><b>Threading:</b> stateless; safe from any thread.
 */
@AutoService(TlsEngineProvider.class)
public final class JdkTlsEngineProvider implements TlsEngineProvider {

    /** Made by {@link java.util.ServiceLoader}. */
    public JdkTlsEngineProvider() {}

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Availability availability() {
        return Availability.AVAILABLE;
    }

    @Override
    public TlsContext newServerContext(TlsServerConfig config) {
        return JdkTlsContext.server(config);
    }

    @Override
    public TlsContext newClientContext(TlsClientConfig config) {
        return JdkTlsContext.client(config);
    }

    @Override
    public String toString() {
        return "jdk TLS engine";
    }
}
