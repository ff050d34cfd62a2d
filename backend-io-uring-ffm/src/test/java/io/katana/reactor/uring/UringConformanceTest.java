package io.katana.reactor.uring;

import io.katana.conformance.ConformanceSuite;
import io.katana.reactor.spi.ReactorProvider;

/**
 * Every conformance check against the {@code io_uring} backend, as both server and client. Where
 * the backend is unavailable (not Linux, no native access, io_uring disabled) every check is
 * skipped with the reason.
 */
class UringConformanceTest extends ConformanceSuite {

    @Override
    protected ReactorProvider serverProvider() {
        return new UringReactorProvider();
    }
}
