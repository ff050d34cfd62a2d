package io.katana.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Short variant of item 4 ({@code scripts/abrupt-peers.sh} runs 100,000): abrupt peers leak nothing. */
class AbruptPeersTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.katana.examples.reliability.Backends#available")
    void descriptorsAndNativeMemoryReturnToBaselineAndHalfClosedClientsGetTheirResponse(String backend)
            throws Exception {
        AbruptPeersDrill.Result result = AbruptPeersDrill.run(backend, 3_500);
        result.print(System.out);
        assertThat(result.alive()).isTrue();
        assertThat(result.halfCloseFailures()).as("half-close failures (first: %s)", result.firstFailure()).isZero();
        assertThat(result.after().descriptors()).as("server descriptors").isEqualTo(result.baseline().descriptors());
        assertThat(result.after().otherNativeBytes()).as("native bytes (NMT Other)")
                .isLessThanOrEqualTo(result.baseline().otherNativeBytes() + 1024 * 1024);
        assertThat(result.serverErrorsLogged()).isZero();
    }
}
