package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.spi.ReactorProvider;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 413 the connection decides (a body over the route's limit, announced or overrunning) is shaped
 * by the route's filters and the 413 error handler, and the connection still closes after it; on
 * every backend.
 */
class HttpRefusedBodyErrorsTest {

    private static final String PROVIDERS = "io.katana.http.ProviderServers#providers";
    private static final String JSON_413 = "{\"error\":\"too large\"}";

    private static HttpServer.Builder service(HttpServer.Builder b) {
        return b
                .error(413, (req, res) -> res.header("Content-Type", "application/json").send(JSON_413))
                .group("/api", api -> api
                        .before((req, res) -> res.header("X-Request-Id", "r-7"))
                        .route(HttpMethod.POST, "/small", RouteOptions.DEFAULT.withMaxBodyBytes(8),
                                (req, res) -> res.send("got " + req.body().length)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void anAnnouncedBodyOverTheRouteLimitGetsTheShaped413AndTheConnectionCloses(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpRefusedBodyErrorsTest::service); var client = server.client()) {
            RawHttpClient.Response small = client.exchange("POST /api/small HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc");
            assertThat(small.bodyText()).isEqualTo("got 3");
            RawHttpClient.Response refused = client.exchange(
                    "POST /api/small HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n0123456789");
            assertThat(refused.status()).isEqualTo(413);
            assertThat(refused.header("Content-Type")).isEqualTo("application/json");
            assertThat(refused.bodyText()).isEqualTo(JSON_413);
            assertThat(refused.header("X-Request-Id")).isEqualTo("r-7");
            assertThat(refused.header("Connection")).isEqualTo("close");
            assertEndOfStream(client);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void aChunkedBodyOverrunningTheRouteLimitGetsTheShaped413AndTheConnectionCloses(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpRefusedBodyErrorsTest::service); var client = server.client()) {
            client.send("POST /api/small HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n");
            Thread.sleep(50); // the overrun comes in a later read, while the body is being collected
            client.send("6\r\nefghij\r\n0\r\n\r\nGET /api/small HTTP/1.1\r\nHost: h\r\n\r\n");
            RawHttpClient.Response refused = client.read();
            assertThat(refused.status()).isEqualTo(413);
            assertThat(refused.bodyText()).isEqualTo(JSON_413);
            assertThat(refused.header("X-Request-Id")).isEqualTo("r-7");
            assertThat(refused.header("Connection")).isEqualTo("close");
            assertEndOfStream(client); // nothing answered twice: the bytes after the refusal are not a request
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void anErrorHandlerThatThrowsOrNeverSendsLeavesThePlain413(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, b -> b
                .error(413, (req, res) -> res.header("X-Tried", "1"))
                .route(HttpMethod.POST, "/quiet", RouteOptions.DEFAULT.withMaxBodyBytes(4), (req, res) -> res.send("ok")));
             var client = server.client()) {
            RawHttpClient.Response refused = client.exchange("POST /quiet HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n12345");
            assertThat(refused.status()).isEqualTo(413);
            assertThat(refused.bodyText()).isEqualTo("Content Too Large\n");
            assertThat(refused.header("X-Tried")).isNull();
            assertThat(refused.header("Connection")).isEqualTo("close");
            assertEndOfStream(client);
        }
        try (var server = ProviderServers.start(provider, b -> b
                .error(413, HttpHandler.blocking((req, res) -> {
                    throw new IllegalStateException("the 413 handler fails");
                }))
                .route(HttpMethod.POST, "/quiet", RouteOptions.DEFAULT.withMaxBodyBytes(4), (req, res) -> res.send("ok")));
             var client = server.client()) {
            RawHttpClient.Response refused = client.exchange("POST /quiet HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n12345");
            assertThat(refused.status()).isEqualTo(413);
            assertThat(refused.bodyText()).isEqualTo("Content Too Large\n");
            assertEndOfStream(client);
        }
    }

    private static void assertEndOfStream(RawHttpClient client) throws Exception {
        InputStream in = client.socket().getInputStream();
        assertThat(in.read()).isEqualTo(-1);
    }
}
