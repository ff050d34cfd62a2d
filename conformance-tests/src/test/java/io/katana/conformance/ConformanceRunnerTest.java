package io.katana.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runner's answers when there is nothing to run; real runs are checked against real backends. */
class ConformanceRunnerTest {

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

    @Test
    void anUnknownBackendNameListsTheBackendsFound() {
        int status = ConformanceRunner.run("NoSuch", List.of(FixedProvider.available("nio")), out);

        assertThat(status).isEqualTo(2);
        assertThat(lines()).containsExactly(
                "conformance: no backend named 'nosuch'; found: nio",
                "conformance: 0 passed, 0 failed, 0 skipped");
    }

    @Test
    void anUnavailableBackendSaysWhy() {
        int status = ConformanceRunner.run("epoll-ffm",
                List.of(FixedProvider.unavailable("epoll-ffm", "native access is not enabled")), out);

        assertThat(status).isEqualTo(2);
        assertThat(lines()).containsExactly(
                "conformance: backend 'epoll-ffm' is unavailable here: native access is not enabled",
                "conformance: 0 passed, 0 failed, 0 skipped");
    }

    @Test
    void withoutAnyAvailableBackendNothingRuns() {
        int status = ConformanceRunner.run(null, List.of(FixedProvider.unavailable("nio", "no selector")), out);

        assertThat(status).isEqualTo(2);
        assertThat(lines()).containsExactly(
                "conformance: skipping nio, unavailable here: no selector",
                "conformance: no available backend; found: nio",
                "conformance: 0 passed, 0 failed, 0 skipped");
    }

    @Test
    void aFailureReasonFitsOnOneLine() {
        AssertionError assertion = new AssertionError("[isOpen after close] \nExpecting value to be false but was true");

        assertThat(CheckTally.reason(assertion))
                .isEqualTo("[isOpen after close] Expecting value to be false but was true");
        assertThat(CheckTally.reason(new IllegalStateException("boom")))
                .isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(CheckTally.reason(new UnsupportedOperationException()))
                .isEqualTo("java.lang.UnsupportedOperationException");
    }

    private List<String> lines() {
        return output.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
