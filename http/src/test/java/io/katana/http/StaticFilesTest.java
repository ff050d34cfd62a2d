package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katana.reactor.spi.ReactorProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link StaticFiles} on every backend: types, validators, HEAD, conditional requests, ranges,
 * folders, the class path, and every way a path could try to leave the root.
 */
class StaticFilesTest {

    private static final String PROVIDERS = "io.katana.http.ProviderServers#providers";
    private static final String SECRET = "the secret beside the root";
    private static final Instant MODIFIED = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    static Path base;
    static Path root;
    static byte[] large;

    @BeforeAll
    static void files() throws IOException {
        root = Files.createDirectories(base.resolve("public"));
        Files.writeString(base.resolve("secret.txt"), SECRET);
        Files.createDirectories(base.resolve("outside"));
        Files.writeString(base.resolve("outside/secret.txt"), SECRET);
        Files.writeString(root.resolve("hello.txt"), "hello, files\n");
        Files.setLastModifiedTime(root.resolve("hello.txt"), FileTime.from(MODIFIED));
        Files.writeString(root.resolve("page.html"), "<p>page</p>");
        large = new byte[3 * 1024 * 1024 + 17];
        new Random(5).nextBytes(large);
        Files.write(root.resolve("large.bin"), large);
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<h1>docs</h1>");
        Files.createDirectories(root.resolve("bare"));
        Files.writeString(root.resolve("bare/notes.md"), "# notes");
        Files.createSymbolicLink(root.resolve("link-out"), base.resolve("outside"));
        Files.createSymbolicLink(root.resolve("link-out.txt"), base.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("link-in.txt"), root.resolve("hello.txt"));
        Files.createSymbolicLink(root.resolve("link-docs"), root.resolve("docs"));
        Files.createSymbolicLink(root.resolve("bare/up"), base.resolve("outside"));
        Files.createSymbolicLink(root.resolve("bare/relative-out.txt"), Path.of("../../secret.txt"));
    }

    private static ProviderServers.Running start(ReactorProvider provider) throws IOException {
        return ProviderServers.start(provider, b -> b
                .get("/files/*", StaticFiles.directory(root))
                .get("/blocking/*", HttpHandler.blocking(StaticFiles.directory(root)))
                .get("/assets/*", StaticFiles.classpath("/static-test/"))
                .get("/ok", (req, res) -> res.send("ok")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void servesFilesWithTypeLengthValidatorsAndHead(ReactorProvider provider) throws Exception {
        try (var server = start(provider); var client = server.client()) {
            RawHttpClient.Response hello = client.exchange("GET /files/hello.txt HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(hello.status()).isEqualTo(200);
            assertThat(hello.bodyText()).isEqualTo("hello, files\n");
            assertThat(hello.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(hello.header("Content-Length")).isEqualTo("13");
            assertThat(hello.header("Last-Modified")).isEqualTo("Fri, 02 Jan 2026 03:04:05 GMT");
            assertThat(hello.header("ETag")).matches("\"[0-9a-f]+-d\"");
            assertThat(hello.header("Accept-Ranges")).isEqualTo("bytes");

            RawHttpClient.Response head = client.exchange("HEAD /files/large.bin HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(large.length));
            assertThat(head.header("Content-Type")).isEqualTo("application/octet-stream");
            // Pipelined after a HEAD and a large file: framing holds, bytes arrive whole.
            client.send("GET /files/large.bin HTTP/1.1\r\nHost: h\r\n\r\nGET /files/page.html HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "GET /blocking/large.bin HTTP/1.1\r\nHost: h\r\n\r\nHEAD /blocking/hello.txt HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "GET /ok HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(client.read().body()).isEqualTo(large);
            RawHttpClient.Response page = client.read();
            assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(page.bodyText()).isEqualTo("<p>page</p>");
            assertThat(client.read().body()).as("a file sent from a blocking handler").isEqualTo(large);
            assertThat(client.read(true).header("Content-Length")).isEqualTo("13");
            assertThat(client.read().bodyText()).isEqualTo("ok");

            assertThat(client.exchange("GET /files/link-in.txt HTTP/1.1\r\nHost: h\r\n\r\n").bodyText())
                    .as("a symbolic link inside the root").isEqualTo("hello, files\n");
            assertThat(client.exchange("GET /files/link-docs/index.html HTTP/1.1\r\nHost: h\r\n\r\n").bodyText())
                    .as("a file under a linked folder inside the root").isEqualTo("<h1>docs</h1>");
            assertThat(client.exchange("GET /files/link-docs/ HTTP/1.1\r\nHost: h\r\n\r\n").bodyText())
                    .as("the index of a linked folder inside the root").isEqualTo("<h1>docs</h1>");
            assertThat(client.exchange("POST /files/hello.txt HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n").status())
                    .isEqualTo(405);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void filesInAComposedGroupPassItsFiltersAndAreNeverGzipped(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, b -> b
                .gzip(Gzip.defaults())
                .after((req, res) -> res.header("X-After", "seen"))
                .group("/static", g -> g.get("/*", StaticFiles.directory(root))));
             var client = server.client()) {
            RawHttpClient.Response response = client.exchange(
                    "GET /static/large.bin HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("X-After")).isEqualTo("seen");
            assertThat(response.header("Content-Encoding")).isNull();
            assertThat(response.body()).isEqualTo(large);
            RawHttpClient.Response text = client.exchange(
                    "GET /static/page.html HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip\r\n\r\n");
            assertThat(text.header("Content-Encoding")).as("a text file: sent as it is on disk").isNull();
            assertThat(text.bodyText()).isEqualTo("<p>page</p>");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void foldersAnswerWithTheirIndexARedirectOrNotFound(ReactorProvider provider) throws Exception {
        try (var server = start(provider); var client = server.client()) {
            assertThat(client.exchange("GET /files/docs/ HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("<h1>docs</h1>");
            RawHttpClient.Response redirect = client.exchange("GET /files/docs?x=1 HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(redirect.status()).isEqualTo(301);
            assertThat(redirect.header("Location")).isEqualTo("/files/docs/?x=1");
            assertThat(client.exchange("GET /files/bare/ HTTP/1.1\r\nHost: h\r\n\r\n").status()).as("no index").isEqualTo(404);
            assertThat(client.exchange("GET /files/ HTTP/1.1\r\nHost: h\r\n\r\n").status()).as("the root, no index").isEqualTo(404);
            assertThat(client.exchange("GET /files/missing.txt HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(404);
            assertThat(client.exchange("GET /files/hello.txt/x HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void conditionalRequestsAndRanges(ReactorProvider provider) throws Exception {
        try (var server = start(provider); var client = server.client()) {
            String etag = client.exchange("GET /files/hello.txt HTTP/1.1\r\nHost: h\r\n\r\n").header("ETag");
            RawHttpClient.Response notModified = client.exchange(
                    "GET /files/hello.txt HTTP/1.1\r\nHost: h\r\nIf-None-Match: \"other\", W/" + etag + "\r\n\r\n");
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.header("ETag")).isEqualTo(etag);
            assertThat(status(client, "If-Modified-Since: Fri, 02 Jan 2026 03:04:05 GMT")).isEqualTo(304);
            assertThat(status(client, "If-Modified-Since: Friday, 02-Jan-26 03:04:06 GMT")).as("RFC 850 date").isEqualTo(304);
            assertThat(status(client, "If-Modified-Since: Fri, 02 Jan 2026 03:04:04 GMT")).isEqualTo(200);
            assertThat(status(client, "If-Modified-Since: not a date")).isEqualTo(200);
            assertThat(status(client, "If-None-Match: \"other\"\r\nIf-Modified-Since: Fri, 02 Jan 2026 03:04:05 GMT"))
                    .as("If-None-Match decides over If-Modified-Since").isEqualTo(200);
            assertThat(status(client, "If-Match: \"other\"")).isEqualTo(412);
            assertThat(status(client, "If-Match: " + etag)).isEqualTo(200);
            assertThat(status(client, "If-Unmodified-Since: Thu, 01 Jan 2026 00:00:00 GMT")).isEqualTo(412);

            RawHttpClient.Response part = client.exchange("GET /files/large.bin HTTP/1.1\r\nHost: h\r\nRange: bytes=1000-1999\r\n\r\n");
            assertThat(part.status()).isEqualTo(206);
            assertThat(part.header("Content-Range")).isEqualTo("bytes 1000-1999/" + large.length);
            assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(large, 1000, 2000));
            RawHttpClient.Response suffix = client.exchange("GET /files/large.bin HTTP/1.1\r\nHost: h\r\nRange: bytes=-10\r\n\r\n");
            assertThat(suffix.body()).isEqualTo(java.util.Arrays.copyOfRange(large, large.length - 10, large.length));
            RawHttpClient.Response open = client.exchange("GET /files/hello.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=7-\r\n\r\n");
            assertThat(open.status()).isEqualTo(206);
            assertThat(open.bodyText()).isEqualTo("files\n");
            RawHttpClient.Response past = client.exchange("GET /files/hello.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=13-20\r\n\r\n");
            assertThat(past.status()).isEqualTo(416);
            assertThat(past.header("Content-Range")).isEqualTo("bytes */13");
            RawHttpClient.Response several = client.exchange("GET /files/hello.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=0-1,3-4\r\n\r\n");
            assertThat(several.status()).as("several ranges: the whole file").isEqualTo(200);
            assertThat(several.bodyText()).isEqualTo("hello, files\n");
            RawHttpClient.Response stale = client.exchange(
                    "GET /files/hello.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=0-4\r\nIf-Range: \"stale\"\r\n\r\n");
            assertThat(stale.status()).as("If-Range with another tag: the whole file").isEqualTo(200);
            RawHttpClient.Response fresh = client.exchange(
                    "GET /files/hello.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=0-4\r\nIf-Range: " + etag + "\r\n\r\n");
            assertThat(fresh.status()).isEqualTo(206);
            assertThat(fresh.bodyText()).isEqualTo("hello");
            assertThat(client.exchange("GET /ok HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("ok");
        }
    }

    private static int status(RawHttpClient client, String header) throws IOException {
        return client.exchange("GET /files/hello.txt HTTP/1.1\r\nHost: h\r\n" + header + "\r\n\r\n").status();
    }

    /** Every path a client might use to leave the root, sent byte for byte as written. */
    static final List<String> ESCAPES = List.of(
            "/files/../secret.txt",
            "/files/./../secret.txt",
            "/files/docs/../../secret.txt",
            "/files/%2e%2e/secret.txt",
            "/files/%2E%2E/secret.txt",
            "/files/.%2e/secret.txt",
            "/files/%2e%2e%2fsecret.txt",
            "/files/..%2Fsecret.txt",
            "/files/docs%2f..%2f..%2fsecret.txt",
            "/files/..%5csecret.txt",
            "/files/..\\secret.txt",
            "/files/%5c..%5c..%5csecret.txt",
            "/files/secret.txt%00.html",
            "/files/hello.txt%00",
            "/files//etc/passwd",
            "/files/%2fetc%2fpasswd",
            "/files/link-out/secret.txt",
            "/files/link-out.txt",
            "/files/link-out/",
            "/files/bare/up/secret.txt",
            "/files/bare/up/",
            "/files/bare/relative-out.txt");

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void noPathLeavesTheRootByRawRequest(ReactorProvider provider) throws Exception {
        try (var server = start(provider)) {
            for (String path : ESCAPES) {
                try (var client = server.client()) {
                    client.send("GET " + path + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
                    RawHttpClient.Response response = client.read();
                    assertThat(response.status()).as(path).isIn(400, 404);
                    assertThat(response.bodyText()).as(path).doesNotContain(SECRET).doesNotContain("root:");
                }
            }
            try (var client = server.client()) {
                assertThat(client.exchange("GET /files/hello.txt HTTP/1.1\r\nHost: h\r\n\r\n").status())
                        .as("after the attempts, an honest request").isEqualTo(200);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void noPathLeavesTheRootThroughCurlPathAsIs(ReactorProvider provider) throws Exception {
        assumeTrue(curlAvailable(), "curl is not installed");
        try (var server = start(provider)) {
            for (String path : ESCAPES) {
                if (path.contains("\\")) {
                    continue; // curl would send a raw backslash too, but its URL parser rejects some forms; covered raw above
                }
                Process curl = new ProcessBuilder("curl", "-sS", "--path-as-is", "--max-time", "20", "-w", "\n%{http_code}",
                        "http://127.0.0.1:" + server.port() + path).redirectErrorStream(true).start();
                String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(output).as(path).doesNotContain(SECRET).doesNotContain("root:");
                assertThat(output.substring(output.lastIndexOf('\n') + 1)).as(path).isIn("400", "404");
            }
        }
    }

    private static boolean curlAvailable() {
        try {
            return new ProcessBuilder("curl", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void servesClassPathResources(ReactorProvider provider) throws Exception {
        try (var server = start(provider); var client = server.client()) {
            RawHttpClient.Response css = client.exchange("GET /assets/css/site.css HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(css.status()).isEqualTo(200);
            assertThat(css.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
            assertThat(css.bodyText()).isEqualTo("body { color: red; }\n");
            String etag = css.header("ETag");
            assertThat(etag).isNotBlank();
            assertThat(client.exchange("GET /assets/css/site.css HTTP/1.1\r\nHost: h\r\nIf-None-Match: " + etag
                    + "\r\n\r\n").status()).isEqualTo(304);
            RawHttpClient.Response part = client.exchange("GET /assets/css/site.css HTTP/1.1\r\nHost: h\r\nRange: bytes=0-3\r\n\r\n");
            assertThat(part.status()).isEqualTo(206);
            assertThat(part.bodyText()).isEqualTo("body");
            assertThat(client.exchange("GET /assets/ HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("<h1>index</h1>\n");
            assertThat(client.exchange("HEAD /assets/index.html HTTP/1.1\r\nHost: h\r\n\r\n").header("Content-Length"))
                    .isEqualTo("15");
            assertThat(client.exchange("GET /assets/css HTTP/1.1\r\nHost: h\r\n\r\n").status()).as("a folder").isEqualTo(404);
            assertThat(client.exchange("GET /assets/empty-folder/ HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(404);
            assertThat(client.exchange("GET /assets/missing.js HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(404);
            assertThat(client.exchange("GET /assets/../io/katana/http/StaticFilesTest.class HTTP/1.1\r\nHost: h\r\n\r\n")
                    .status()).isIn(400, 404);
            assertThat(client.exchange("GET /assets/%2e%2e/static-test/index.html HTTP/1.1\r\nHost: h\r\n\r\n")
                    .status()).isIn(400, 404);
        }
    }
}
