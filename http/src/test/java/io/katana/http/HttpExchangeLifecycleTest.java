package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.katana.reactor.spi.ReactorProvider;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How an exchange ends when it does not end well: the client leaves, the request timeout passes, a
 * stream is cut or closed short; and what the handler is told. On every backend, over real sockets.
 */
class HttpExchangeLifecycleTest {

    private static final String PROVIDERS = "io.katana.http.ProviderServers#providers";
    private static final HttpHandler NEVER_ANSWERS = (req, res) -> { };

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void aClientThatClosesReleasesAnUnansweredExchangeAtOnce(ReactorProvider provider) throws Exception {
        CompletableFuture<Throwable> told = new CompletableFuture<>();
        try (var server = ProviderServers.start(provider, b -> b.get("/never", (req, res) -> res.onAbandoned(told::complete)))) {
            var client = server.client();
            client.send("GET /never HTTP/1.1\r\nHost: h\r\n\r\n");
            Thread.sleep(100); // the handler has returned without answering
            client.close(); // FIN

            assertThat(told.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class)
                    .hasMessageContaining("client closed the connection before the response was complete");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void aClientThatResetsReleasesABlockingHandlersExchangeAndItsLateAnswerIsDropped(ReactorProvider provider) throws Exception {
        CompletableFuture<Throwable> told = new CompletableFuture<>();
        CountDownLatch lateSendDone = new CountDownLatch(1);
        try (var log = new CapturedLog();
             var server = ProviderServers.start(provider, b -> b.get("/slow", HttpHandler.blocking((req, res) -> {
                 res.onAbandoned(told::complete);
                 try {
                     told.get(5, TimeUnit.SECONDS);
                 } catch (Exception e) {
                     throw new IllegalStateException(e);
                 }
                 res.send("too late"); // dropped and logged, never thrown
                 lateSendDone.countDown();
             })))) {
            var client = server.client();
            client.send("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");
            Thread.sleep(100);
            client.socket().setSoLinger(true, 0);
            client.close(); // RST

            assertThat(told.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
            assertThat(lateSendDone.await(5, TimeUnit.SECONDS)).as("the late send returned").isTrue();
            assertThat(log.text()).contains("GET /slow: the handler answered after the exchange was abandoned");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void theRequestTimeoutAnswers503AndTheConnectionServesOn(ReactorProvider provider) throws Exception {
        CompletableFuture<Throwable> told = new CompletableFuture<>();
        AtomicReference<HttpResponse> pending = new AtomicReference<>();
        try (var server = ProviderServers.start(provider, b -> b
                .timeouts(HttpTimeouts.DEFAULT.withRequest(Duration.ofMillis(200)))
                .get("/never", (req, res) -> pending.set(res.onAbandoned(told::complete)))
                .get("/fast", (req, res) -> res.send("fast")));
             var client = server.client()) {
            var timedOut = client.exchange("GET /never HTTP/1.1\r\nHost: h\r\n\r\n");

            assertThat(timedOut.status()).isEqualTo(503);
            assertThat(timedOut.header("Connection")).isNull();
            assertThat(told.get(5, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("request timeout of PT0.2S");
            assertThat(pending.get().isAbandoned()).isTrue();
            pending.get().send("late"); // dropped: the next answer on this connection is the next request's
            assertThat(client.exchange("GET /fast HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("fast");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void aRoutesTimeoutOverridesTheServers(ReactorProvider provider) throws Exception {
        HttpHandler answersAfter400Ms = (req, res) -> CompletableFuture.delayedExecutor(400, TimeUnit.MILLISECONDS)
                .execute(() -> res.send("answered"));
        try (var server = ProviderServers.start(provider, b -> b
                .timeouts(HttpTimeouts.DEFAULT.withRequest(Duration.ofMillis(100)))
                .route(HttpMethod.GET, "/patient", RouteOptions.DEFAULT.withRequestTimeout(Duration.ZERO), answersAfter400Ms)
                .route(HttpMethod.GET, "/strict", RouteOptions.DEFAULT.withRequestTimeout(Duration.ofMillis(100)), NEVER_ANSWERS)
                .get("/default", answersAfter400Ms));
             var client = server.client()) {
            assertThat(client.exchange("GET /patient HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("answered");
            assertThat(client.exchange("GET /strict HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(503);
            assertThat(client.exchange("GET /default HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(503);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void theRequestTimeoutCutsAStreamThatHasStarted(ReactorProvider provider) throws Exception {
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        try (var server = ProviderServers.start(provider, b -> b
                .route(HttpMethod.GET, "/stuck", RouteOptions.DEFAULT.withRequestTimeout(Duration.ofMillis(200)), (req, res) -> {
                    ResponseStream out = res.stream();
                    out.onClose(closed::complete);
                    out.write("first chunk");
                }));
             var client = server.client()) {
            client.send("GET /stuck HTTP/1.1\r\nHost: h\r\n\r\n");

            assertThat(closed.get(5, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
            assertThatThrownBy(client::read).as("the chunked body never ends: the connection is cut")
                    .isInstanceOf(IOException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void anEventStyleProducerHearsTheClientLeaveAndAWholeStreamEndsWithNull(ReactorProvider provider) throws Exception {
        CompletableFuture<Throwable> cut = new CompletableFuture<>();
        CompletableFuture<Throwable> whole = new CompletableFuture<>();
        try (var server = ProviderServers.start(provider, b -> b
                .get("/forever", (req, res) -> {
                    ResponseStream out = res.stream();
                    out.onClose(cause -> cut.complete(cause));
                    out.write("tick");
                })
                .get("/whole", (req, res) -> {
                    ResponseStream out = res.stream();
                    out.onClose(cause -> whole.complete(cause));
                    out.write("all of it");
                    out.close();
                }))) {
            try (var client = server.client()) {
                assertThat(client.exchange("GET /whole HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("all of it");
                assertThat(whole.get(5, TimeUnit.SECONDS)).isNull();
            }
            var client = server.client();
            client.send("GET /forever HTTP/1.1\r\nHost: h\r\n\r\n");
            readHead(client.socket().getInputStream());
            client.close();

            assertThat(cut.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void aKnownLengthStreamSendsContentLengthAndRefusesToGoPastIt(ReactorProvider provider) throws Exception {
        AtomicReference<Throwable> overrun = new AtomicReference<>();
        try (var server = ProviderServers.start(provider, b -> b.get("/ten", HttpHandler.blocking((req, res) -> {
                    try (ResponseStream out = res.stream(10)) {
                        out.write("01234");
                        out.write("56789");
                        try {
                            out.write("!");
                        } catch (IllegalStateException e) {
                            overrun.set(e);
                        }
                    }
                })));
             var client = server.client()) {
            for (int i = 0; i < 2; i++) { // twice: the connection stays usable after it
                var response = client.exchange("GET /ten HTTP/1.1\r\nHost: h\r\n\r\n");
                assertThat(response.header("Content-Length")).isEqualTo("10");
                assertThat(response.header("Transfer-Encoding")).isNull();
                assertThat(response.bodyText()).isEqualTo("0123456789");
            }
            assertThat(overrun.get()).hasMessageContaining("would exceed the declared Content-Length of 10 (10 written)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void aKnownLengthStreamClosedShortAbortsTheConnectionAndSaysWhy(ReactorProvider provider) throws Exception {
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        try (var log = new CapturedLog();
             var server = ProviderServers.start(provider, b -> b.get("/short", (req, res) -> {
                 ResponseStream out = res.stream(100);
                 out.onClose(closed::complete);
                 out.write("only forty bytes, not the hundred promis");
                 out.close();
             }));
             var client = server.client()) {
            client.send("GET /short HTTP/1.1\r\nHost: h\r\n\r\n");

            assertThatThrownBy(client::read).as("the body ends early: never taken as whole").isInstanceOf(IOException.class);
            assertThat(closed.get(5, TimeUnit.SECONDS)).hasMessageContaining("closed after 40 of its 100 declared bytes");
            assertThat(log.text()).contains("GET /short: the stream was closed after 40 of its 100 declared bytes");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void aBlockingHandlerThatThrowsMidStreamIsLoggedAsAnAbortNotA500(ReactorProvider provider) throws Exception {
        try (var log = new CapturedLog();
             var server = ProviderServers.start(provider, b -> b.get("/midway", HttpHandler.blocking((req, res) -> {
                 ResponseStream out = res.stream();
                 out.write("part");
                 throw new IllegalStateException("broke midway");
             })));
             var client = server.client()) {
            client.send("GET /midway HTTP/1.1\r\nHost: h\r\n\r\n");

            assertThatThrownBy(client::read).isInstanceOf(IOException.class);
            assertThat(log.text())
                    .contains("handler for GET /midway threw java.lang.IllegalStateException: broke midway; its streamed"
                            + " response (status 200) had started, so the connection was aborted")
                    .doesNotContain("broke midway; answered 500");
        }
    }

    /** Reads up to the end of a response head, so the stream has surely started. */
    private static void readHead(InputStream in) throws IOException {
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the head ended: " + seen);
            }
            seen.append((char) b);
        }
        assertThat(seen.toString()).startsWith("HTTP/1.1 200");
    }
}
