package io.katana.tls.openssl;

import io.katana.conformance.TlsConformanceSuite;
import io.katana.reactor.Reactors;
import io.katana.reactor.spi.ReactorProvider;
import io.katana.tls.spi.TlsEngineProvider;

/** The TLS suite for the openssl engine on the best backend here; examples runs it on every backend. */
class OpenSslTlsConformanceTest extends TlsConformanceSuite {

    @Override
    protected TlsEngineProvider serverEngine() {
        return new OpenSslTlsEngineProvider();
    }

    @Override
    protected ReactorProvider serverBackend() {
        return Reactors.best();
    }
}
