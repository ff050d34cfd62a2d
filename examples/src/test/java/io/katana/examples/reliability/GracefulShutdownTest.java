package io.katana.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Short variant of item 6 ({@code scripts/graceful-shutdown.sh}): SIGTERM under load cuts no response. */
@Tag("drill")
class GracefulShutdownTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.katana.examples.reliability.Backends#available")
    void sigtermFinishesInFlightResponsesAndExitsWithinTheDrainTime(String backend) throws Exception {
        GracefulShutdownDrill.Result result = GracefulShutdownDrill.run(backend, 12, Duration.ofSeconds(2), 5);
        result.print(System.out);
        assertThat(result.cut()).as("responses cut or wrong (first: %s)", result.firstCut()).isZero();
        assertThat(result.dropped()).as("requests in flight at SIGTERM left unanswered (first: %s)", result.firstCut())
                .isZero();
        assertThat(result.completed()).isPositive();
        assertThat(result.completedAfterSignal()).as("in-flight responses finished after SIGTERM").isPositive();
        assertThat(result.exited()).isTrue();
        assertThat(result.secondsToExit()).as("seconds from SIGTERM to exit").isLessThan(5 + 3);
    }
}
