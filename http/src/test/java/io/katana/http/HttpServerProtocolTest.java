package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.spi.ReactorProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 9112 connection management and message framing, on every backend. */
class HttpServerProtocolTest {

    private static final String PROVIDERS = "io.katana.http.ProviderServers#providers";

    static HttpServer.Builder routes(HttpServer.Builder builder) {
        return builder
                .get("/", (req, res) -> res.header("Content-Type", "text/plain").send("OK"))
                .get("/n/{n}", (req, res) -> res.send("n=" + req.pathParam("n")))
                .post("/echo", (req, res) -> res.header("X-Length", Integer.toString(req.bodyLength()))
                        .header("X-Trailer", String.valueOf(req.trailers().get("x-checksum")))
                        .send(req.body()))
                .get("/inspect/{id}/x", (req, res) -> res.send(String.join("|",
                        req.method().name(), req.target(), req.path(), req.rawPath(), String.valueOf(req.rawQuery()),
                        req.pathParam("id"), String.valueOf(req.queryParam("q")), req.queryParams("m").toString(),
                        req.header("x-CASE"), req.headers().getAll("x-multi").toString(), req.version())))
                .get("/big", (req, res) -> res.send(bigBody()))
                .put("/n/{n}", (req, res) -> res.status(204).send());
    }

    static byte[] bigBody() {
        byte[] body = new byte[2 * 1024 * 1024 + 17];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + (i >> 13));
        }
        return body;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void answersWithDateServerTypeAndLength(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpServerProtocolTest::routes); var client = server.client()) {
            RawHttpClient.Response response = client.exchange("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(response.bodyText()).isEqualTo("OK");
            assertThat(response.header("Content-Type")).isEqualTo("text/plain");
            assertThat(response.header("Content-Length")).isEqualTo("2");
            assertThat(response.header("Server")).isEqualTo("katana");
            assertThat(response.header("Connection")).isNull();
            ZonedDateTime date = ZonedDateTime.parse(response.header("Date"),
                    DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC));
            assertThat(date.getYear()).isGreaterThanOrEqualTo(2024);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void keepsHttp11ConnectionsAliveAndClosesOnRequest(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpServerProtocolTest::routes); var client = server.client()) {
            for (int i = 0; i < 5; i++) {
                assertThat(client.exchange("GET /n/" + i + " HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("n=" + i);
            }
            RawHttpClient.Response last = client.exchange("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.header("Connection")).isEqualTo("close");
            assertThat(client.serverClosed()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void http10ClosesUnlessAskedToKeepAlive(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpServerProtocolTest::routes)) {
            try (var client = server.client()) {
                RawHttpClient.Response response = client.exchange("GET / HTTP/1.0\r\n\r\n");
                assertThat(response.statusLine()).isEqualTo("HTTP/1.1 200 OK");
                assertThat(response.header("Connection")).isEqualTo("close");
                assertThat(client.serverClosed()).isTrue();
            }
            try (var client = server.client()) {
                for (int i = 0; i < 3; i++) {
                    RawHttpClient.Response response = client.exchange("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                    assertThat(response.header("Connection")).isEqualTo("keep-alive");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void answersPipelinedRequestsInOrder(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpServerProtocolTest::routes); var client = server.client()) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 64; i++) {
                batch.append(i % 3 == 0
                        ? "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: " + Integer.toString(i).length() + "\r\n\r\n" + i
                        : "GET /n/" + i + " HTTP/1.1\r\nHost: h\r\n\r\n");
            }
            client.send(batch.toString());
            for (int i = 0; i < 64; i++) {
                RawHttpClient.Response response = client.read();
                assertThat(response.bodyText()).isEqualTo(i % 3 == 0 ? Integer.toString(i) : "n=" + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void readsContentLengthBodiesWholeAndInPieces(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpServerProtocolTest::routes); var client = server.client()) {
            RawHttpClient.Response whole = client.exchange("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world");
            assertThat(whole.bodyText()).isEqualTo("hello world");
            assertThat(whole.header("Content-Type")).isEqualTo("application/octet-stream");

            byte[] body = bigBody();
            client.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: " + body.length + "\r\n\r\n");
            for (int at = 0; at < body.length; at += 100_000) {
                client.send(Arrays.copyOfRange(body, at, Math.min(body.length, at + 100_000)));
            }
            RawHttpClient.Response big = client.read();
            assertThat(big.header("X-Length")).isEqualTo(Integer.toString(body.length));
            assertThat(big.body()).isEqualTo(body);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void decodesChunkedBodiesWithTrailers(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpServerProtocolTest::routes); var client = server.client()) {
            RawHttpClient.Response response = client.exchange("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc\r\n\r\n");
            assertThat(response.bodyText()).isEqualTo("hello world");
            assertThat(response.header("X-Trailer")).isEqualTo("abc");

            client.send("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab");
            client.send("c\r\n4\r\n");
            client.send("defg\r\n0\r\n");
            client.send("\r\n");
            assertThat(client.read().bodyText()).isEqualTo("abcdefg");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void sendsContinueBeforeReadingAnExpectedBody(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpServerProtocolTest::routes); var client = server.client()) {
            client.send("POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
            RawHttpClient.Response interim = client.read();
            assertThat(interim.statusLine()).isEqualTo("HTTP/1.1 100 Continue");
            client.send("body");
            assertThat(client.read().bodyText()).isEqualTo("body");

            // With the body already sent, no 100 is needed.
            RawHttpClient.Response direct = client.exchange(
                    "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok");
            assertThat(direct.status()).isEqualTo(200);
            assertThat(direct.bodyText()).isEqualTo("ok");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void answersHeadLikeGetWithoutTheBody(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpServerProtocolTest::routes); var client = server.client()) {
            RawHttpClient.Response head = client.exchange("HEAD /n/abc HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo("5");
            // The next response must follow directly: a body after the HEAD response would show up here.
            assertThat(client.exchange("GET /n/x HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("n=x");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void routesMissesTo404405501AndOptions(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpServerProtocolTest::routes); var client = server.client()) {
            assertThat(client.exchange("GET /missing HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(404);
            RawHttpClient.Response notAllowed = client.exchange("DELETE /n/1 HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(notAllowed.status()).isEqualTo(405);
            assertThat(notAllowed.header("Allow")).isEqualTo("GET, HEAD, PUT, OPTIONS");
            assertThat(client.exchange("BREW /n/1 HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(501);
            RawHttpClient.Response options = client.exchange("OPTIONS /n/1 HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(options.status()).isEqualTo(204);
            assertThat(options.header("Allow")).isEqualTo("GET, HEAD, PUT, OPTIONS");
            assertThat(options.header("Content-Length")).isNull();
            RawHttpClient.Response star = client.exchange("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(star.status()).isEqualTo(204);
            assertThat(star.header("Allow")).isEqualTo("GET, HEAD, POST, PUT, OPTIONS");
            RawHttpClient.Response noContent = client.exchange("PUT /n/1 HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
            assertThat(noContent.status()).isEqualTo(204);
            assertThat(noContent.header("Content-Length")).isNull();
            // Misses do not cost the connection.
            assertThat(client.exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void aCustomNotFoundHandlerAnswersUnknownPathsOnly(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, b -> routes(b)
                .notFound((req, res) -> res.status(410).send("gone: " + req.path())));
             var client = server.client()) {
            RawHttpClient.Response gone = client.exchange("GET /nothing/here HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(gone.status()).isEqualTo(410);
            assertThat(gone.bodyText()).isEqualTo("gone: /nothing/here");
            assertThat(client.exchange("DELETE /n/1 HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(405);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void exposesTheRequestDecoded(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpServerProtocolTest::routes); var client = server.client()) {
            RawHttpClient.Response response = client.exchange("GET /inspect/a%20%C3%A9/x?q=1+2%2B3&m=a&m=b&flag HTTP/1.1\r\n"
                    + "Host: h\r\nX-Case: Value\r\nX-Multi: one\r\nx-multi: two\r\n\r\n");
            assertThat(response.bodyText()).isEqualTo(String.join("|", "GET",
                    "/inspect/a%20%C3%A9/x?q=1+2%2B3&m=a&m=b&flag", "/inspect/a \u00e9/x", "/inspect/a%20%C3%A9/x",
                    "q=1+2%2B3&m=a&m=b&flag", "a \u00e9", "1 2+3", "[a, b]", "Value", "[one, two]", "HTTP/1.1"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void leavesOutHeaderNamesWithUnderscoresUnlessAllowed(ReactorProvider provider) throws Exception {
        HttpHandler names = (req, res) -> {
            StringBuilder seen = new StringBuilder();
            req.headers().forEach((name, value) -> seen.append(name).append(','));
            res.send(seen.toString());
        };
        String request = "GET / HTTP/1.1\r\nHost: h\r\nContent_Length: 99\r\nX_A: 1\r\nX-B: 2\r\n\r\n";
        try (var server = ProviderServers.start(provider, b -> b.get("/", names)); var client = server.client()) {
            assertThat(client.exchange(request).bodyText()).isEqualTo("Host,X-B,");
        }
        try (var server = ProviderServers.start(provider, b -> b.get("/", names).underscoresInHeaderNames(true));
             var client = server.client()) {
            assertThat(client.exchange(request).bodyText()).isEqualTo("Host,Content_Length,X_A,X-B,");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void sendsLargeBodiesIntact(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpServerProtocolTest::routes); var client = server.client()) {
            for (int i = 0; i < 3; i++) {
                assertThat(client.exchange("GET /big HTTP/1.1\r\nHost: h\r\n\r\n").body()).isEqualTo(bigBody());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void answersAClientThatHalfClosedAfterItsRequest(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpServerProtocolTest::routes); var client = server.client()) {
            client.send("GET /n/1 HTTP/1.1\r\nHost: h\r\n\r\nGET /n/2 HTTP/1.1\r\nHost: h\r\n\r\n");
            client.socket().shutdownOutput();
            assertThat(client.read().bodyText()).isEqualTo("n=1");
            assertThat(client.read().bodyText()).isEqualTo("n=2");
            assertThat(client.serverClosed()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void ignoresEmptyLinesBeforeARequest(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpServerProtocolTest::routes); var client = server.client()) {
            assertThat(client.exchange("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(200);
            assertThat(client.exchange("GET http://h/n/7 HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("n=7");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void theAuthorityComesFromAnAbsoluteTargetElseFromHostWhichMayBeEmpty(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, b -> b.get("/authority", (req, res) -> res.send("[" + req.authority() + "]")));
                var client = server.client()) {
            assertThat(client.exchange("GET http://target.example:8080/authority HTTP/1.1\r\nHost: other.example\r\n\r\n")
                    .bodyText()).isEqualTo("[target.example:8080]");
            assertThat(client.exchange("GET /authority HTTP/1.1\r\nHost: host.example\r\n\r\n").bodyText())
                    .isEqualTo("[host.example]");
            assertThat(client.exchange("GET /authority HTTP/1.1\r\nHost: \r\n\r\n").bodyText()).isEqualTo("[]");
        }
    }

    @Test
    void opensAndClosesItsOwnGroupWhenGivenNone() throws Exception {
        HttpServer server = HttpServer.builder().address(new InetSocketAddress("127.0.0.1", 0))
                .get("/", (req, res) -> res.send("own group")).start();
        try (var client = new RawHttpClient(server.port())) {
            assertThat(client.exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("own group");
        } finally {
            server.close();
        }
        assertThat(server.isOpen()).isFalse();
        assertThat(server.group().isShuttingDown()).isTrue();
    }

    static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
