package io.katana.conformance;

import io.katana.reactor.spi.ReactorProvider;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The suite for backends named by JUnit configuration parameters (or system properties of the same
 * names): {@value #SERVER} names the server backend, {@value #CLIENT} the client backend (the
 * server's if unset). Without {@value #SERVER} the suite is disabled. {@link ConformanceRunner} runs
 * it through the JUnit Platform Launcher; a build can too, e.g. {@code
 * -Dkatana.conformance.server=nio} with this class selected.
 *
 * <p>Threading: as {@link ConformanceSuite}.
 */
@ExtendWith(ConfiguredBackends.class)
public final class ConfiguredConformanceSuite extends ConformanceSuite {

    /** Configuration parameter naming the server backend. */
    public static final String SERVER = "katana.conformance.server";

    /** Configuration parameter naming the client backend; defaults to the server backend. */
    public static final String CLIENT = "katana.conformance.client";

    private final BackendPair backends;

    ConfiguredConformanceSuite(BackendPair backends) {
        this.backends = backends;
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
