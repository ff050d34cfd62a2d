package io.katana.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Short variant of item 1 ({@code scripts/slow-clients.sh} runs slowhttptest): slow clients, service available. */
@Tag("drill")
class SlowClientsTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.katana.examples.reliability.Backends#available")
    void staysAvailableAndCutsEverySlowClient(String backend) throws Exception {
        int headerTimeout = 2;
        int idleTimeout = 2;
        SlowClientsDrill.Result result = SlowClientsDrill.run(backend, 60, Duration.ofSeconds(9), headerTimeout,
                idleTimeout);
        result.print(System.out);
        assertThat(result.probesAnswered()).as("normal requests answered").isEqualTo(result.probes());
        assertThat(result.probes()).isPositive();
        for (SlowClientsDrill.Mode mode : result.modes()) {
            assertThat(mode.cut()).as("%s attackers cut", mode.name()).isEqualTo(mode.attackers());
            assertThat(mode.longestLifeSeconds()).as("%s: longest life", mode.name())
                    .isLessThan(Math.max(headerTimeout, idleTimeout) + 4.0);
        }
    }
}
