package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.spi.ReactorProvider;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The access log, read where the test's SLF4J provider (slf4j-simple) writes it: standard error,
 * captured here while each test runs.
 */
class AccessLogTest {

    private static final String PROVIDERS = "io.katana.http.ProviderServers#providers";
    private static final String TIME = "\\[\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000\\]";

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureStandardError() {
        originalErr = System.err;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                originalErr.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                originalErr.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStandardError() {
        System.setErr(originalErr);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void writesOneCombinedLinePerResponse(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, b -> b
                .accessLog(AccessLogFormat.COMBINED)
                .get("/hello", (req, res) -> res.send("hello"))
                .get("/stream", (req, res) -> {
                    try (ResponseStream out = res.stream()) {
                        out.write("abc");
                        out.write("de");
                    }
                }));
             var client = server.client()) {
            client.exchange("GET /hello?x=1 HTTP/1.1\r\nHost: h\r\nReferer: https://r.example/\r\nUser-Agent: test \"agent\"\r\n\r\n");
            client.send("HEAD /hello HTTP/1.1\r\nHost: h\r\n\r\n");
            client.read(true);
            client.exchange("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n");
            client.exchange("GET /missing HTTP/1.1\r\nHost: h\r\n\r\n");
            List<String> lines = accessLines(4);
            assertThat(lines.get(0)).matches("127\\.0\\.0\\.1 - - " + TIME
                    + " \"GET /hello\\?x=1 HTTP/1\\.1\" 200 5 \"https://r\\.example/\" \"test \\\\\"agent\\\\\"\"");
            assertThat(lines.get(1)).matches("127\\.0\\.0\\.1 - - " + TIME + " \"HEAD /hello HTTP/1\\.1\" 200 - \"-\" \"-\"");
            assertThat(lines.get(2)).matches(".*\"GET /stream HTTP/1\\.1\" 200 5 \"-\" \"-\"");
            assertThat(lines.get(3)).matches(".*\"GET /missing HTTP/1\\.1\" 404 10 \"-\" \"-\"");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void commonFormatEndsAtTheByteCountAndIsOffByDefault(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, b -> b.get("/quiet", (req, res) -> res.send("q")));
             var client = server.client()) {
            client.exchange("GET /quiet HTTP/1.1\r\nHost: h\r\n\r\n");
        }
        try (var server = ProviderServers.start(provider, b -> b
                .accessLog(AccessLogFormat.COMMON)
                .post("/echo", (req, res) -> res.status(201).send(req.body())));
             var client = server.client()) {
            client.exchange("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nUser-Agent: x\r\n\r\nabc");
            List<String> lines = accessLines(1);
            assertThat(lines.getFirst()).matches("127\\.0\\.0\\.1 - - " + TIME + " \"POST /echo HTTP/1\\.1\" 201 3");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void recordsTheServersOwn413ForAnAnnouncedAndAnOverrunningBody(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, b -> b
                .accessLog(AccessLogFormat.COMMON)
                .route(HttpMethod.POST, "/small", RouteOptions.DEFAULT.withMaxBodyBytes(4), (req, res) -> res.send("ok")))) {
            try (var client = server.client()) {
                assertThat(client.exchange("POST /small HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\n").status()).isEqualTo(413);
            }
            try (var client = server.client()) {
                client.send("POST /small HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
                Thread.sleep(50);
                client.send("3\r\ndef\r\n0\r\n\r\n");
                assertThat(client.read().status()).isEqualTo(413);
            }
            List<String> lines = accessLines(2);
            assertThat(lines.get(0)).matches("127\\.0\\.0\\.1 - - " + TIME + " \"POST /small HTTP/1\\.1\" 413 18");
            assertThat(lines.get(1)).matches("127\\.0\\.0\\.1 - - " + TIME + " \"POST /small HTTP/1\\.1\" 413 18");
        }
    }

    /** The access log lines captured, without slf4j-simple's prefix, once at least {@code count} have come. */
    private List<String> accessLines(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String text;
            synchronized (captured) {
                text = captured.toString(StandardCharsets.UTF_8);
            }
            String marker = " io.katana.http.access - ";
            List<String> lines = text.lines().filter(l -> l.contains(marker))
                    .map(l -> l.substring(l.indexOf(marker) + marker.length())).toList();
            if (lines.size() >= count || System.nanoTime() > deadline) {
                assertThat(lines).hasSize(count);
                return lines;
            }
            Thread.sleep(10);
        }
    }
}
