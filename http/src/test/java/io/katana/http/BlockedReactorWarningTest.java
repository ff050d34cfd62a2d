package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.spi.ReactorProvider;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The warning for a handler that holds its reactor thread, on every backend. */
class BlockedReactorWarningTest {

    private static final String PROVIDERS = "io.katana.http.ProviderServers#providers";

    private static final HttpHandler SLEEPS_ON_THE_REACTOR = (req, res) -> {
        try {
            Thread.sleep(400);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        res.send("woke");
    };

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void aHandlerThatHoldsTheReactorPastTheThresholdIsReportedOnceWithItsRouteAndStack(ReactorProvider provider) throws Exception {
        try (var log = new CapturedLog();
             var server = ProviderServers.start(provider, b -> b
                     .blockedReactorThreshold(Duration.ofMillis(100))
                     .get("/sleepy/{id}", SLEEPS_ON_THE_REACTOR)
                     .get("/quick", (req, res) -> res.send("quick")));
             var client = server.client()) {
            assertThat(client.exchange("GET /quick HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("quick");
            assertThat(client.exchange("GET /sleepy/7 HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("woke");

            String text = log.text();
            assertThat(text).contains("the handler for GET /sleepy/{id} has held reactor thread " + provider.name() + "-test-")
                    .contains("(warning threshold 100 ms)")
                    .contains("java.lang.Thread.sleep")
                    .doesNotContain("/quick has held");
            assertThat(text.split("has held reactor thread", -1)).as("one warning for one occurrence").hasSize(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void zeroTurnsTheWarningOff(ReactorProvider provider) throws Exception {
        try (var log = new CapturedLog();
             var server = ProviderServers.start(provider, b -> b
                     .blockedReactorThreshold(Duration.ZERO)
                     .get("/sleepy", SLEEPS_ON_THE_REACTOR));
             var client = server.client()) {
            assertThat(client.exchange("GET /sleepy HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("woke");

            assertThat(log.text()).doesNotContain("has held reactor thread");
        }
    }
}
