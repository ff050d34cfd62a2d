package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katana.reactor.spi.ReactorProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** gzip by Accept-Encoding, for sent and streamed bodies, decoded by Java's GZIPInputStream and Python's urllib; on every backend. */
class GzipTest {

    private static final String PROVIDERS = "io.katana.http.ProviderServers#providers";
    private static final String BIG_TEXT = "All work and no play makes Jack a dull boy. ".repeat(200);
    private static final String JSON = "{\"items\":[" + "{\"id\":1,\"title\":\"write tests\"},".repeat(100) + "{}]}";

    private static HttpServer.Builder service(HttpServer.Builder b) {
        return b.gzip(Gzip.defaults())
                .get("/text", (req, res) -> res.send(BIG_TEXT))
                .get("/json", (req, res) -> res.header("Content-Type", "application/json").header("ETag", "\"v1\"").send(JSON.getBytes(StandardCharsets.UTF_8)))
                .get("/small", (req, res) -> res.send("tiny"))
                .get("/binary", (req, res) -> res.send(new byte[4096]))
                .get("/encoded", (req, res) -> res.header("Content-Encoding", "br").header("Content-Type", "text/plain").send(new byte[2048]))
                .get("/empty", (req, res) -> res.status(204).send())
                .get("/stream", (req, res) -> {
                    ResponseStream out = res.header("Content-Type", "text/plain").stream();
                    for (int i = 0; i < 50; i++) {
                        out.write("line " + i + " of a streamed body\n");
                    }
                    out.close();
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void compressesQualifyingSentAndStreamedResponses(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, GzipTest::service); var client = server.client()) {
            var text = get(client, "/text", "gzip, deflate");
            assertThat(text.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(text.headers("Vary")).contains("Accept-Encoding");
            assertThat(text.body().length).isLessThan(BIG_TEXT.length() / 10);
            assertThat(text.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(gunzip(text.body())).isEqualTo(BIG_TEXT);

            var json = get(client, "/json", "br;q=1.0, gzip;q=0.8");
            assertThat(json.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(json.header("Content-Type")).isEqualTo("application/json");
            assertThat(json.header("ETag")).isEqualTo("W/\"v1\"");
            assertThat(gunzip(json.body())).isEqualTo(JSON);

            var stream = get(client, "/stream", "*");
            assertThat(stream.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(stream.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(gunzip(stream.body())).startsWith("line 0 of a streamed body\n").endsWith("line 49 of a streamed body\n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void leavesAloneWhatDoesNotQualify(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, GzipTest::service); var client = server.client()) {
            var refused = get(client, "/text", "gzip;q=0, identity");
            assertThat(refused.header("Content-Encoding")).isNull();
            assertThat(refused.headers("Vary")).contains("Accept-Encoding");
            assertThat(refused.bodyText()).isEqualTo(BIG_TEXT);
            assertThat(get(client, "/text", null).header("Content-Encoding")).isNull();
            var small = get(client, "/small", "gzip");
            assertThat(small.header("Content-Encoding")).isNull();
            assertThat(small.headers("Vary")).doesNotContain("Accept-Encoding");
            assertThat(small.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(get(client, "/binary", "gzip").header("Content-Encoding")).isNull();
            assertThat(get(client, "/encoded", "gzip").header("Content-Encoding")).isEqualTo("br");
            assertThat(get(client, "/empty", "gzip").status()).isEqualTo(204);
            client.send("HEAD /text HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip\r\n\r\n");
            var head = client.read(true);
            assertThat(head.header("Content-Encoding")).isNull();
            assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(BIG_TEXT.length()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void pythonsClientDecodesSentAndStreamedBodies(ReactorProvider provider) throws Exception {
        assumeTrue(hasPython(), "python3 is not installed");
        try (var server = ProviderServers.start(provider, GzipTest::service)) {
            String script = String.join("\n",
                    "import gzip, sys, urllib.request",
                    "for path in ('/text', '/stream'):",
                    "    req = urllib.request.Request('http://127.0.0.1:%s' % sys.argv[1] + path, headers={'Accept-Encoding': 'gzip'})",
                    "    with urllib.request.urlopen(req) as r:",
                    "        body = gzip.decompress(r.read()).decode()",
                    "        print(path, r.headers['Content-Encoding'], len(body), body.count('\\n'))");
            Process python = new ProcessBuilder("python3", "-c", script, Integer.toString(server.port()))
                    .redirectErrorStream(true).start();
            assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(output).isEqualTo("/text gzip " + BIG_TEXT.length() + " 0\n/stream gzip 1340 50\n");
        }
    }

    private static RawHttpClient.Response get(RawHttpClient client, String path, String acceptEncoding) throws IOException {
        return client.exchange("GET " + path + " HTTP/1.1\r\nHost: h\r\n"
                + (acceptEncoding == null ? "" : "Accept-Encoding: " + acceptEncoding + "\r\n") + "\r\n");
    }

    private static String gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static boolean hasPython() {
        try {
            return new ProcessBuilder("python3", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
