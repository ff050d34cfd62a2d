package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.spi.ReactorProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Streamed request bodies (events with pause/resume, blocking streams), per-route body limits; on every backend. */
class HttpServerStreamingBodyTest {

    private static final String PROVIDERS = "io.katana.http.ProviderServers#providers";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor();

    @AfterAll
    static void stop() {
        LATER.shutdownNow();
    }

    /** Counts and checksums the body on the reactor thread, pausing after every chunk and resuming a moment later from another thread. */
    private static final HttpHandler SLOW_COUNTER = HttpHandler.streaming((req, res) -> {
        RequestBody body = req.bodyStream();
        CRC32 crc = new CRC32();
        AtomicLong count = new AtomicLong();
        body.subscribe(new RequestBody.Listener() {
            @Override
            public void onData(ByteBuffer data) {
                count.addAndGet(data.remaining());
                crc.update(data);
                body.pause();
                LATER.schedule(body::resume, 1, TimeUnit.MILLISECONDS);
            }

            @Override
            public void onEnd(HttpHeaders trailers) {
                res.send(count.get() + ":" + Long.toHexString(crc.getValue()) + ":" + trailers.get("X-Sum"));
            }

            @Override
            public void onError(Throwable cause) {
                res.status(500).send(cause.toString());
            }
        });
    });

    /** Counts the body on the reactor thread as fast as it comes, answering at its end. */
    private static final HttpHandler FAST_COUNTER = HttpHandler.streaming((req, res) -> {
        AtomicLong count = new AtomicLong();
        req.bodyStream().subscribe(new RequestBody.Listener() {
            @Override
            public void onData(ByteBuffer data) {
                count.addAndGet(data.remaining());
            }

            @Override
            public void onEnd(HttpHeaders trailers) {
                res.send("fast:" + count.get());
            }

            @Override
            public void onError(Throwable cause) {
                res.status(500).send(cause.toString());
            }
        });
    });

    /** Reads the body as a stream on a virtual thread. */
    private static final HttpHandler BLOCKING_COUNTER = HttpHandler.blocking(HttpHandler.streaming((req, res) -> {
        CRC32 crc = new CRC32();
        long count = 0;
        byte[] buffer = new byte[8192];
        try (InputStream in = req.bodyStream().inputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                crc.update(buffer, 0, n);
                count += n;
                if (count % (1 << 20) < n) {
                    Thread.sleep(2); // slower than the client: the connection must pause
                }
            }
        }
        res.send(count + ":" + Long.toHexString(crc.getValue()));
    }));

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 9));
        }
        return bytes;
    }

    private static String expected(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return bytes.length + ":" + Long.toHexString(crc.getValue());
    }

    private static URI uri(ProviderServers.Running server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void streamsLengthAndChunkedBodiesToAListenerThatPausesAndResumes(ReactorProvider provider) throws Exception {
        byte[] data = pattern(3 * 1024 * 1024 + 17);
        try (var server = ProviderServers.start(provider, b -> b.post("/count", SLOW_COUNTER))) {
            var fixed = CLIENT.send(java.net.http.HttpRequest.newBuilder(uri(server, "/count"))
                    .POST(BodyPublishers.ofByteArray(data)).build(), BodyHandlers.ofString());
            assertThat(fixed.body()).isEqualTo(expected(data) + ":null");
            var chunked = CLIENT.send(java.net.http.HttpRequest.newBuilder(uri(server, "/count"))
                    .POST(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(data))).build(), BodyHandlers.ofString());
            assertThat(chunked.body()).isEqualTo(expected(data) + ":null");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void servesPipelinedRequestsAfterStreamedBodiesWithTrailersAndEmptyBodies(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, b -> b.post("/count", SLOW_COUNTER).post("/blocking", BLOCKING_COUNTER)
                .post("/fast", FAST_COUNTER).get("/next", (req, res) -> res.send("next")));
             var client = server.client()) {
            // A consumer that never pauses answers inside the read that brought its whole body: the
            // requests behind it in that read are served from the same bytes.
            client.send("POST /fast HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                    + "POST /fast HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nabcd"
                    + "GET /next HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("fast:3");
            assertThat(client.read().bodyText()).isEqualTo("fast:4");
            assertThat(client.read().bodyText()).isEqualTo("next");
            client.send("POST /count HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 11\r\n\r\n"
                    + "GET /next HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "POST /count HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"
                    + "POST /blocking HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
                    + "POST /blocking HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                    + "GET /next HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo(expected("hello world".getBytes(StandardCharsets.US_ASCII)) + ":11");
            assertThat(client.read().bodyText()).isEqualTo("next");
            assertThat(client.read().bodyText()).isEqualTo("0:0:null");
            assertThat(client.read().bodyText()).isEqualTo(expected("hello".getBytes(StandardCharsets.US_ASCII)));
            assertThat(client.read().bodyText()).isEqualTo(expected("abc".getBytes(StandardCharsets.US_ASCII)));
            assertThat(client.read().bodyText()).isEqualTo("next");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void streamsABodyToABlockingReaderAtItsPace(ReactorProvider provider) throws Exception {
        byte[] data = pattern(16 * 1024 * 1024 + 5);
        try (var server = ProviderServers.start(provider, b -> b.route(HttpMethod.PUT, "/blocking",
                RouteOptions.DEFAULT.withMaxBodyBytes(64L << 20), BLOCKING_COUNTER))) {
            var fixed = CLIENT.send(java.net.http.HttpRequest.newBuilder(uri(server, "/blocking"))
                    .PUT(BodyPublishers.ofByteArray(data)).build(), BodyHandlers.ofString());
            assertThat(fixed.statusCode()).isEqualTo(200);
            assertThat(fixed.body()).isEqualTo(expected(data));
            var chunked = CLIENT.send(java.net.http.HttpRequest.newBuilder(uri(server, "/blocking"))
                    .PUT(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(data))).build(), BodyHandlers.ofString());
            assertThat(chunked.body()).isEqualTo(expected(data));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void tellsTheHandlerWhenTheClientLeavesMidBody(ReactorProvider provider) throws Exception {
        CompletableFuture<Throwable> eventError = new CompletableFuture<>();
        CompletableFuture<Throwable> streamError = new CompletableFuture<>();
        try (var server = ProviderServers.start(provider, b -> b
                .post("/events", HttpHandler.streaming((req, res) -> req.bodyStream().subscribe(new RequestBody.Listener() {
                    @Override
                    public void onData(ByteBuffer data) { }

                    @Override
                    public void onEnd(HttpHeaders trailers) {
                        eventError.complete(null);
                    }

                    @Override
                    public void onError(Throwable cause) {
                        eventError.complete(cause);
                    }
                })))
                .post("/stream", HttpHandler.blocking(HttpHandler.streaming((req, res) -> {
                    try (InputStream in = req.bodyStream().inputStream()) {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                        streamError.complete(null);
                    } catch (IOException e) {
                        streamError.complete(e);
                        throw e;
                    }
                }))))) {
            for (String path : new String[] {"/events", "/stream"}) {
                try (var client = server.client()) {
                    client.send("POST " + path + " HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(5000));
                    Thread.sleep(100);
                }
            }
            assertThat(eventError.get(15, TimeUnit.SECONDS)).isInstanceOf(IOException.class).hasMessageContaining("request body");
            assertThat(streamError.get(15, TimeUnit.SECONDS)).isInstanceOf(IOException.class).hasMessageContaining("request body");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void appliesEachRoutesBodyLimitToBufferedAndStreamedBodies(ReactorProvider provider) throws Exception {
        HttpHandler length = (req, res) -> res.send(String.valueOf(req.bodyLength()));
        try (var server = ProviderServers.start(provider, b -> b
                .limits(HttpLimits.DEFAULT.withMaxBodySize(1000))
                .post("/default", length)
                .route(HttpMethod.POST, "/small", RouteOptions.DEFAULT.withMaxBodyBytes(10), length)
                .route(HttpMethod.POST, "/large", RouteOptions.DEFAULT.withMaxBodyBytes(20_000), length)
                .route(HttpMethod.POST, "/streamed", RouteOptions.DEFAULT.withMaxBodyBytes(20_000), SLOW_COUNTER))) {
            try (var client = server.client()) {
                assertThat(client.exchange(post("/default", 1000)).bodyText()).isEqualTo("1000");
                assertThat(client.exchange(post("/large", 20_000)).bodyText()).isEqualTo("20000");
                assertThat(client.exchange(chunked("/large", 20_000)).bodyText()).isEqualTo("20000");
                assertThat(client.exchange(post("/small", 10)).bodyText()).isEqualTo("10");
            }
            // Content-Length over the limit: answered before any of the body is sent.
            for (String path : new String[] {"/small", "/default", "/large", "/streamed"}) {
                try (var client = server.client()) {
                    long over = path.equals("/small") ? 11 : path.equals("/default") ? 1001 : 20_001;
                    var answer = client.exchange("POST " + path + " HTTP/1.1\r\nHost: h\r\nContent-Length: " + over + "\r\n\r\n");
                    assertThat(answer.status()).as(path).isEqualTo(413);
                    assertThat(answer.bodyText()).contains("limit");
                }
            }
            // Chunked over the limit: counted as it comes, buffered or streamed.
            for (String path : new String[] {"/small", "/large", "/streamed"}) {
                try (var client = server.client()) {
                    assertThat(client.exchange(chunked(path, path.equals("/small") ? 11 : 20_001)).status()).as(path).isEqualTo(413);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void answersAMalformedFormWith400AndTheBufferedBodyAsAStreamToo(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, b -> b
                .post("/form", (req, res) -> res.send(req.formParams().toString()))
                .post("/any", (req, res) -> res.send(new String(req.bodyStream().inputStream().readAllBytes(), StandardCharsets.UTF_8)))
                .post("/streamed-buffered", HttpHandler.streaming((req, res) -> res.send(req.bodyAsString()))));
             var client = server.client()) {
            var bad = client.exchange("POST /form HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 5\r\n\r\na=%zz");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.bodyText()).contains("'%' not followed by two hex digits");
            assertThat(client.exchange("POST /any HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc").bodyText()).isEqualTo("abc");
            var misuse = client.exchange("POST /streamed-buffered HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc");
            assertThat(misuse.status()).isEqualTo(500);
        }
    }

    private static String post(String path, int length) {
        return "POST " + path + " HTTP/1.1\r\nHost: h\r\nContent-Length: " + length + "\r\n\r\n" + "b".repeat(length);
    }

    private static String chunked(String path, int length) {
        StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int sent = 0; sent < length; sent += 1000) {
            int n = Math.min(1000, length - sent);
            request.append(Integer.toHexString(n)).append("\r\n").append("c".repeat(n)).append("\r\n");
        }
        return request.append("0\r\n\r\n").toString();
    }
}
