package io.katana.examples;

import io.katana.conformance.BackendPair;
import io.katana.conformance.ConformanceSuite;
import io.katana.reactor.spi.ReactorProvider;
import java.util.List;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance suite over every backend {@link java.util.ServiceLoader} finds on this module's
 * class path, each alone, and over every ordered pair of two different available backends (epoll-ffm
 * server with nio client and the reverse), where only the checks with a reactor on both sides run
 * and the rest are skipped as covered by the single-backend runs.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("backends")
class AllBackendsConformanceTest extends ConformanceSuite {

    private final BackendPair backends;

    AllBackendsConformanceTest(BackendPair backends) {
        this.backends = backends;
    }

    static List<BackendPair> backends() {
        return BackendPair.discover();
    }

    @Override
    protected ReactorProvider serverProvider() {
        return backends.server();
    }

    @Override
    protected ReactorProvider clientProvider() {
        return backends.client();
    }
}
