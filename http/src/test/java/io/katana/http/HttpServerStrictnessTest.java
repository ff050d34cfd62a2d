package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.spi.ReactorProvider;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input, limits and timeouts: answered with the right status, then the connection closes. */
class HttpServerStrictnessTest {

    private static final String PROVIDERS = "io.katana.http.ProviderServers#providers";

    private static final List<Object[]> BAD_REQUESTS = List.of(
            new Object[] {"GET / HTTP/1.1\r\n\r\n", 400},
            new Object[] {"GET / HTTP/1.1\nHost: h\r\n\r\n", 400},
            new Object[] {"GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", 400},
            new Object[] {"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
            new Object[] {"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400},
            new Object[] {"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
            new Object[] {"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n", 400},
            new Object[] {"GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505},
            new Object[] {"CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n", 501},
            new Object[] {"GET / HTTP/1.1\r\nHost: h\r\nExpect: nonsense\r\n\r\n", 417},
            new Object[] {"GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: h\r\n\r\n", 414},
            new Object[] {"GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "b".repeat(17_000) + "\r\n\r\n", 431},
            new Object[] {"GET / HTTP/1.1\r\nHost: h\r\n" + "X: y\r\n".repeat(101) + "\r\n", 431},
            new Object[] {"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10485761\r\n\r\n", 413});

    private static HttpServer.Builder app(HttpServer.Builder builder) {
        return builder.get("/", (req, res) -> res.send("OK")).post("/", (req, res) -> res.send(req.body()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void answersBadRequestsAndCloses(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpServerStrictnessTest::app)) {
            for (Object[] bad : BAD_REQUESTS) {
                String raw = (String) bad[0];
                try (var client = server.client()) {
                    RawHttpClient.Response response = client.exchange(raw);
                    assertThat(response.status()).as(raw.length() > 80 ? raw.substring(0, 80) : raw).isEqualTo(bad[1]);
                    assertThat(response.header("Connection")).isEqualTo("close");
                    assertThat(response.bodyText()).startsWith(bad[1] + " ").doesNotContain("Exception").doesNotContain("at io.");
                    assertThat(client.serverClosed()).isTrue();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void answersAnOversizedRequestBeforeTheClientFinishesSendingIt(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpServerStrictnessTest::app); var client = server.client()) {
            // 100 KB of target: the server answers after 8 KiB and must not lose the answer to a reset.
            client.send("GET /" + "A".repeat(100_000) + " HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(414);
            assertThat(client.serverClosed()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void doesNotServeRequestsAfterAnErrorOrAClose(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpServerStrictnessTest::app)) {
            try (var client = server.client()) {
                client.send("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");
                assertThat(client.read().status()).isEqualTo(200);
                assertThat(client.serverClosed()).isTrue();
            }
            try (var client = server.client()) {
                String smuggled = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
                client.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: " + (5 + smuggled.length())
                        + "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled);
                assertThat(client.read().status()).isEqualTo(400);
                assertThat(client.serverClosed()).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void timesOutSlowHeadsWith408AndIdleConnectionsSilently(ReactorProvider provider) throws Exception {
        HttpTimeouts quick = HttpTimeouts.DEFAULT.withHeaderRead(Duration.ofMillis(300)).withKeepAliveIdle(Duration.ofMillis(300));
        try (var server = ProviderServers.start(provider, b -> app(b).timeouts(quick))) {
            try (var client = server.client()) {
                client.send("GET / HTTP/1.1\r\nHost: h\r\n");
                RawHttpClient.Response response = client.read();
                assertThat(response.status()).isEqualTo(408);
                assertThat(response.header("Connection")).isEqualTo("close");
                assertThat(client.serverClosed()).isTrue();
            }
            try (var client = server.client()) {
                client.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nhalf");
                assertThat(client.read().status()).isEqualTo(408);
                assertThat(client.serverClosed()).isTrue();
            }
            try (var client = server.client()) {
                assertThat(client.exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(200);
                assertThat(client.serverClosed()).as("closed after the keep-alive idle time").isTrue();
            }
            try (var client = server.client()) {
                assertThat(client.serverClosed()).as("a connection that never sends is closed").isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void cutsABodyThatTricklesBelowTheMinimumRateButNotOneAboveIt(ReactorProvider provider) throws Exception {
        // A byte every 50 ms never lets the 5 s idle timeout fire; 20 B/s is far below the 1,000 B/s minimum.
        HttpTimeouts timeouts = HttpTimeouts.DEFAULT.withHeaderRead(Duration.ofMillis(500))
                .withKeepAliveIdle(Duration.ofSeconds(5)).withMinBodyRate(1000);
        try (var server = ProviderServers.start(provider, b -> app(b).timeouts(timeouts))) {
            try (var slow = server.client()) {
                slow.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n");
                Thread trickle = Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < 200 && !Thread.currentThread().isInterrupted(); i++) {
                            slow.send("x");
                            Thread.sleep(50);
                        }
                    } catch (IOException | InterruptedException stopped) {
                        // the server cut the connection, or the test is over
                    }
                });
                try {
                    RawHttpClient.Response response = slow.read();
                    assertThat(response.status()).isEqualTo(408);
                    assertThat(response.bodyText()).contains("slower than 1000 bytes per second");
                    assertThat(response.header("Connection")).isEqualTo("close");
                } finally {
                    trickle.interrupt();
                    trickle.join();
                }
            }
            try (var steady = server.client()) {
                // 200 bytes every 50 ms (about 4,000 B/s) for well past the 500 ms grace.
                String body = "y".repeat(200);
                steady.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: " + 30 * body.length() + "\r\n\r\n");
                for (int i = 0; i < 30; i++) {
                    steady.send(body);
                    Thread.sleep(50);
                }
                RawHttpClient.Response response = steady.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo(body.repeat(30));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void appliesConfiguredLimits(ReactorProvider provider) throws Exception {
        HttpLimits small = HttpLimits.DEFAULT.withMaxBodySize(10).withMaxHeaderCount(3);
        try (var server = ProviderServers.start(provider, b -> app(b).limits(small))) {
            try (var client = server.client()) {
                assertThat(client.exchange("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789").status()).isEqualTo(200);
                assertThat(client.exchange("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n0123456789X").status()).isEqualTo(413);
            }
            try (var client = server.client()) {
                assertThat(client.exchange("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "6\r\n012345\r\n6\r\n012345\r\n0\r\n\r\n").status()).isEqualTo(413);
            }
            try (var client = server.client()) {
                assertThat(client.exchange("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n").status()).isEqualTo(431);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void survivesGarbage(ReactorProvider provider) throws Exception {
        HttpTimeouts quick = HttpTimeouts.DEFAULT.withHeaderRead(Duration.ofMillis(200));
        try (var server = ProviderServers.start(provider, b -> app(b).timeouts(quick))) {
            java.util.Random random = new java.util.Random(42);
            for (int i = 0; i < 20; i++) {
                byte[] garbage = new byte[1 + random.nextInt(600)];
                random.nextBytes(garbage);
                try (var client = server.client()) {
                    client.send(garbage);
                    try {
                        RawHttpClient.Response response = client.read();
                        assertThat(response.status()).isBetween(400, 599);
                    } catch (IOException closedOrTimedOut) {
                        // Closing, or waiting for the rest of what may be a head, are both fine answers.
                    }
                }
            }
            try (var client = server.client()) {
                assertThat(client.exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(200);
            }
        }
    }
}
