package io.katana.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Short variant of item 2 ({@code scripts/many-connections.sh} runs 10,000): many keep-alive connections, idle cost. */
@Tag("drill")
class ManyConnectionsTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.katana.examples.reliability.Backends#available")
    void servesEveryConnectionAndAnIdleConnectionCostsAtMostTwoKib(String backend) throws Exception {
        ManyConnectionsDrill.Result result = ManyConnectionsDrill.run(backend, 2_000, 3);
        result.print(System.out);
        assertThat(result.errors()).as("client errors (first: %s)", result.firstError()).isZero();
        assertThat(result.answered()).isEqualTo(2_000L * 3);
        assertThat(result.heapBytesPerIdleConnection() + result.nativeBytesPerIdleConnection())
                .as("heap + native bytes per idle connection").isLessThanOrEqualTo(2048);
    }
}
