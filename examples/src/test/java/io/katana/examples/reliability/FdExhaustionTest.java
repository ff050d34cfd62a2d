package io.katana.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Item 3 ({@code scripts/fd-exhaustion.sh} holds it for 30 s): out of descriptors, no death, no spin, serves again. */
@Tag("drill")
class FdExhaustionTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.katana.examples.reliability.Backends#available")
    void survivesWithoutSpinningLogsOncePerIntervalAndServesAgain(String backend) throws Exception {
        FdExhaustionDrill.Result result = FdExhaustionDrill.run(backend, 256, 1_000, Duration.ofSeconds(3));
        result.print(System.out);
        assertThat(result.aliveThroughout()).isTrue();
        assertThat(result.cpuShare()).as("CPU seconds per second while out of descriptors").isLessThan(0.25);
        assertThat(result.failureReports()).as("failure reports: once per %d s", FdExhaustionDrill.LOG_INTERVAL_SECONDS)
                .isBetween(1L, 2L);
        assertThat(result.secondsToServeAgain()).as("seconds to serve again").isBetween(0.0, 10.0);
    }
}
