package com.example.katana.logging;

import io.katana.conformance.ConformanceSuite;
import io.katana.reactor.spi.ReactorProvider;

/** The whole Katana conformance suite, run against this backend by {@code mvn verify}. */
class LoggingBackendConformanceTest extends ConformanceSuite {
    @Override
    protected ReactorProvider serverProvider() {
        return new LoggingReactorProvider();
    }
}
