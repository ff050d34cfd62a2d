package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.spi.ReactorProvider;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Handlers that answer later, block, stream, or fail; on every backend. */
class HttpServerHandlerTest {

    private static final String PROVIDERS = "io.katana.http.ProviderServers#providers";
    private static final int CHUNK = 64 * 1024;
    private static final int CHUNKS = 128;

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void answersFromAnotherThreadAndKeepsPipelinedResponsesInOrder(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, b -> b
                .get("/later", (req, res) -> CompletableFuture.runAsync(
                        // Reads the request on another thread, possibly before handle() has returned.
                        () -> res.send("later:" + req.header("X-Id") + ":" + req.queryParam("q"))))
                .get("/now", (req, res) -> res.send("now:" + req.header("X-Id"))));
             var client = server.client()) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                batch.append("GET /").append(i % 2 == 0 ? "later?q=" + i : "now").append(" HTTP/1.1\r\nHost: h\r\nX-Id: ")
                        .append(i).append("\r\n\r\n");
            }
            client.send(batch.toString());
            for (int i = 0; i < 20; i++) {
                assertThat(client.read().bodyText()).isEqualTo(i % 2 == 0 ? "later:" + i + ":" + i : "now:" + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void runsBlockingHandlersOnVirtualThreadsWhileTheReactorServes(ReactorProvider provider) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean virtual = new AtomicBoolean();
        try (var server = ProviderServers.start(provider, b -> b
                .get("/slow", HttpHandler.blocking((req, res) -> {
                    virtual.set(Thread.currentThread().isVirtual());
                    entered.countDown();
                    if (!release.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                    res.send("slow:" + req.header("X-Id") + ":" + req.bodyAsString());
                }))
                .get("/fast", (req, res) -> res.send("fast")));
             var slowClient = server.client();
             var fastClient = server.client()) {
            slowClient.send("GET /slow HTTP/1.1\r\nHost: h\r\nX-Id: 7\r\nContent-Length: 3\r\n\r\nabc");
            assertThat(entered.await(15, TimeUnit.SECONDS)).isTrue();
            // Both connections may share a reactor: it must still serve while the handler blocks.
            for (int i = 0; i < 5; i++) {
                assertThat(fastClient.exchange("GET /fast HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("fast");
            }
            release.countDown();
            assertThat(slowClient.read().bodyText()).isEqualTo("slow:7:abc");
            assertThat(virtual).isTrue();
            assertThat(slowClient.exchange("GET /fast HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("fast");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void streamsWithBackpressureOnTheReactorThread(ReactorProvider provider) throws Exception {
        CountDownLatch sawBackpressure = new CountDownLatch(1);
        try (var server = ProviderServers.start(provider, b -> b.get("/stream", (req, res) -> {
                    ResponseStream out = res.header("Content-Type", "application/octet-stream").stream();
                    AtomicInteger sent = new AtomicInteger();
                    Runnable pump = new Runnable() {
                        @Override
                        public void run() {
                            while (sent.get() < CHUNKS) {
                                if (!out.isWritable()) {
                                    sawBackpressure.countDown();
                                    out.onWritable(this);
                                    return;
                                }
                                out.write(chunk(sent.getAndIncrement()));
                            }
                            out.close();
                        }
                    };
                    pump.run();
                }));
             var client = server.client()) {
            client.send("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n");
            // Read nothing until the server has had to wait for us.
            assertThat(sawBackpressure.await(15, TimeUnit.SECONDS)).isTrue();
            RawHttpClient.Response response = client.read();
            assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
            assertStreamedBody(response.body());
            assertThat(client.exchange("GET /missing HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void streamsFromABlockingHandlerThatAwaitsWritability(ReactorProvider provider) throws Exception {
        CountDownLatch sawBackpressure = new CountDownLatch(1);
        try (var server = ProviderServers.start(provider, b -> b.get("/stream", HttpHandler.blocking((req, res) -> {
                    try (ResponseStream out = res.stream()) {
                        for (int i = 0; i < CHUNKS; i++) {
                            if (!out.isWritable()) {
                                sawBackpressure.countDown();
                            }
                            if (!out.awaitWritable(Duration.ofSeconds(30))) {
                                throw new IllegalStateException("the client stopped reading");
                            }
                            out.write(chunk(i));
                        }
                    }
                })));
             var client = server.client()) {
            client.send("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(sawBackpressure.await(15, TimeUnit.SECONDS)).isTrue();
            assertStreamedBody(client.read().body());
            assertThat(client.exchange("GET /missing HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void abortsAStreamTheClientStopsReading(ReactorProvider provider) throws Exception {
        CountDownLatch gaveUp = new CountDownLatch(1);
        HttpTimeouts quick = HttpTimeouts.DEFAULT.withKeepAliveIdle(Duration.ofMillis(300));
        try (var server = ProviderServers.start(provider, b -> b.timeouts(quick).get("/endless", HttpHandler.blocking((req, res) -> {
                    ResponseStream out = res.stream();
                    byte[] data = new byte[CHUNK];
                    while (out.awaitWritable(Duration.ofSeconds(30))) {
                        out.write(data);
                    }
                    if (!out.isOpen()) {
                        gaveUp.countDown();
                    }
                })));
             var client = server.client()) {
            client.send("GET /endless HTTP/1.1\r\nHost: h\r\n\r\n");
            // The client reads nothing: once its buffers are full the server waits an idle period, then aborts.
            assertThat(gaveUp.await(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void streamsToHttp10ClientsUntilClose(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, b -> b.get("/s", (req, res) -> {
                    try (ResponseStream out = res.stream()) {
                        out.write("one,");
                        out.write("two");
                    }
                }));
             var client = server.client()) {
            RawHttpClient.Response response = client.exchange("GET /s HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(response.header("Transfer-Encoding")).isNull();
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(response.bodyText()).isEqualTo("one,two");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void turnsHandlerExceptionsInto500WithoutDetails(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, b -> b
                .get("/boom", (req, res) -> {
                    res.header("X-Partial", "yes");
                    throw new IllegalStateException("secret detail");
                })
                .get("/boom-blocking", HttpHandler.blocking((req, res) -> {
                    throw new IllegalArgumentException("another secret");
                }))
                .get("/ok", (req, res) -> res.send("ok")));
             var client = server.client()) {
            for (String path : new String[] {"/boom", "/boom-blocking"}) {
                RawHttpClient.Response response = client.exchange("GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n");
                assertThat(response.status()).isEqualTo(500);
                assertThat(response.bodyText()).isEqualTo("Internal Server Error\n").doesNotContain("secret");
                assertThat(response.header("X-Partial")).isNull();
            }
            assertThat(client.exchange("GET /ok HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("ok");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void refusesASecondSendAndUnsafeHeaders(ReactorProvider provider) throws Exception {
        AtomicReference<Throwable> second = new AtomicReference<>();
        AtomicReference<Throwable> splitting = new AtomicReference<>();
        try (var server = ProviderServers.start(provider, b -> b.get("/", (req, res) -> {
                    try {
                        res.header("X-Bad", "a\r\nInjected: yes");
                    } catch (IllegalArgumentException e) {
                        splitting.set(e);
                    }
                    res.send("first");
                    try {
                        res.send("second");
                    } catch (IllegalStateException e) {
                        second.set(e);
                    }
                }));
             var client = server.client()) {
            RawHttpClient.Response response = client.exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(response.bodyText()).isEqualTo("first");
            assertThat(response.header("Injected")).isNull();
            assertThat(second.get()).hasMessageContaining("already sent");
            assertThat(splitting.get()).hasMessageContaining("not allowed in a field value");
        }
    }

    private static byte[] chunk(int index) {
        byte[] data = new byte[CHUNK];
        java.util.Arrays.fill(data, (byte) index);
        return data;
    }

    private static void assertStreamedBody(byte[] body) {
        assertThat(body).hasSize(CHUNK * CHUNKS);
        for (int i = 0; i < CHUNKS; i++) {
            assertThat(body[i * CHUNK]).isEqualTo((byte) i);
            assertThat(body[i * CHUNK + CHUNK - 1]).isEqualTo((byte) i);
        }
    }
}
