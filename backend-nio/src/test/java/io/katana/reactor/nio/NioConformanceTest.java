package io.katana.reactor.nio;

import io.katana.conformance.ConformanceSuite;
import io.katana.reactor.spi.ReactorProvider;

/** Every conformance check against the {@code nio} backend, as both server and client. */
class NioConformanceTest extends ConformanceSuite {

    @Override
    protected ReactorProvider serverProvider() {
        return new NioReactorProvider();
    }
}
