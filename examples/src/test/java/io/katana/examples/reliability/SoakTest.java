package io.katana.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Short variant of item 8 ({@code scripts/soak.sh} runs 5 minutes per backend): mixed load with no
 * unexpected answer. Memory and descriptor growth are asserted only by the long run: 20 seconds is
 * mostly warm-up.
 */
@Tag("drill")
class SoakTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.katana.examples.reliability.Backends#available")
    void mixedLoadGetsOnlyExpectedAnswers(String backend) throws Exception {
        SoakDrill.Result result = SoakDrill.run(backend, Duration.ofSeconds(15));
        result.print(System.out);
        assertThat(result.unexpected()).as("unexpected outcomes (first: %s)", result.firstUnexpected()).isZero();
        assertThat(result.exchanges()).isPositive();
    }
}
