package io.katana.reactor.epoll;

import io.katana.conformance.ConformanceSuite;
import io.katana.reactor.spi.ReactorProvider;

/**
 * Every conformance check against the {@code epoll-ffm} backend, as both server and client. Where
 * the backend is unavailable (not Linux, no native access) every check is skipped with the reason.
 */
class EpollConformanceTest extends ConformanceSuite {

    @Override
    protected ReactorProvider serverProvider() {
        return new EpollReactorProvider();
    }
}
