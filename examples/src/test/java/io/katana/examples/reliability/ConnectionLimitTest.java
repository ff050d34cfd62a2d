package io.katana.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Item 5 ({@code scripts/connection-limit.sh} runs it larger): past the limit, refused cleanly; the rest served. */
@Tag("drill")
class ConnectionLimitTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.katana.examples.reliability.Backends#available")
    void refusesPastTheLimitAndKeepsServingTheAdmitted(String backend) throws Exception {
        ConnectionLimitDrill.Result result = ConnectionLimitDrill.run(backend, 50, 30);
        result.print(System.out);
        assertThat(result.admitted()).isEqualTo(50);
        assertThat(result.refused()).isEqualTo(30);
        assertThat(result.answeredOverLimit()).isZero();
        assertThat(result.keptServing()).isEqualTo(50);
        assertThat(result.admittedAfterLeaving()).isEqualTo(result.leaving());
    }
}
