package io.katana.tls.openssl;

import com.google.auto.service.AutoService;
import io.katana.reactor.Availability;
import io.katana.tls.TlsClientConfig;
import io.katana.tls.TlsServerConfig;
import io.katana.tls.spi.TlsContext;
import io.katana.tls.spi.TlsEngineProvider;

/**
 * The {@code openssl} TLS engine: the system's OpenSSL 3 ({@code libssl.so.3}) driven through the
 * Foreign Function and Memory API, with no JNI and no library of its own. Priority 20, above {@code
 * jdk}, so the best-available choice takes it wherever it can run: on Linux with OpenSSL 3.0 or newer
 * installed and native access enabled for {@code io.katana.tls.openssl}. Elsewhere its availability
 * says which of those is missing, and {@code jdk} serves.
 *
 * <p><b>Threading:</b> stateless; safe from any thread.
 */
@AutoService(TlsEngineProvider.class)
public final class OpenSslTlsEngineProvider implements TlsEngineProvider {

    /** Made by {@link java.util.ServiceLoader}. */
    public OpenSslTlsEngineProvider() {}

    @Override
    public String name() {
        return "openssl";
    }

    @Override
    public int priority() {
        return 20;
    }

    @Override
    public Availability availability() {
        return OpenSslAvailability.current();
    }

    @Override
    public TlsContext newServerContext(TlsServerConfig config) {
        ensureAvailability();
        return OpenSslContext.server(config);
    }

    @Override
    public TlsContext newClientContext(TlsClientConfig config) {
        ensureAvailability();
        return OpenSslContext.client(config);
    }

    @Override
    public String toString() {
        return "openssl TLS engine";
    }
}
