package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.katana.reactor.spi.ReactorProvider;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The CORS filter: preflight, simple requests, refused origins; on every backend. */
class CorsTest {

    private static final String PROVIDERS = "io.katana.http.ProviderServers#providers";

    private static final Cors CORS = Cors.builder()
            .allowOrigins("https://app.example.com")
            .allowMethods(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE)
            .allowHeaders("Content-Type", "Authorization")
            .exposeHeaders("X-Total")
            .allowCredentials(true)
            .maxAge(Duration.ofMinutes(10))
            .build();

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void answersAnAllowedPreflightWithoutCallingTheRoute(ReactorProvider provider) throws Exception {
        AtomicInteger routeCalls = new AtomicInteger();
        try (var server = ProviderServers.start(provider, b -> b.filter(CORS)
                .delete("/todos/{id}", (req, res) -> {
                    routeCalls.incrementAndGet();
                    res.send();
                }));
             var client = server.client()) {
            RawHttpClient.Response preflight = client.exchange("OPTIONS /todos/1 HTTP/1.1\r\nHost: h\r\n"
                    + "Origin: https://app.example.com\r\nAccess-Control-Request-Method: DELETE\r\n"
                    + "Access-Control-Request-Headers: authorization, content-type\r\n\r\n");
            assertThat(preflight.status()).isEqualTo(204);
            assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
            assertThat(preflight.header("Access-Control-Allow-Methods")).isEqualTo("GET, POST, DELETE");
            assertThat(preflight.header("Access-Control-Allow-Headers")).isEqualTo("Content-Type, Authorization");
            assertThat(preflight.header("Access-Control-Allow-Credentials")).isEqualTo("true");
            assertThat(preflight.header("Access-Control-Max-Age")).isEqualTo("600");
            assertThat(preflight.headers("Vary")).contains("Origin");
            assertThat(routeCalls).hasValue(0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void marksSimpleRequestsAndErrorAnswersFromAllowedOrigins(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, b -> b.filter(CORS)
                .get("/todos", (req, res) -> res.header("X-Total", "2").send("[]"))
                .get("/fails", (req, res) -> {
                    throw new IllegalStateException("boom");
                }));
             var client = server.client()) {
            RawHttpClient.Response simple = client.exchange("GET /todos HTTP/1.1\r\nHost: h\r\nOrigin: https://APP.example.com\r\n\r\n");
            assertThat(simple.status()).isEqualTo(200);
            assertThat(simple.header("Access-Control-Allow-Origin")).isEqualTo("https://APP.example.com");
            assertThat(simple.header("Access-Control-Expose-Headers")).isEqualTo("X-Total");
            assertThat(simple.header("Access-Control-Allow-Credentials")).isEqualTo("true");
            assertThat(simple.headers("Vary")).contains("Origin");
            for (String path : new String[] {"/fails", "/nowhere"}) {
                RawHttpClient.Response error = client.exchange("GET " + path + " HTTP/1.1\r\nHost: h\r\nOrigin: https://app.example.com\r\n\r\n");
                assertThat(error.status()).isIn(404, 500);
                assertThat(error.header("Access-Control-Allow-Origin")).as(path).isEqualTo("https://app.example.com");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void givesNoCorsHeadersToOtherOriginsNorToPreflightsAskingTooMuch(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, b -> b.filter(CORS)
                .get("/todos", (req, res) -> res.send("[]"))
                .put("/todos", (req, res) -> res.send("put")));
             var client = server.client()) {
            RawHttpClient.Response other = client.exchange("GET /todos HTTP/1.1\r\nHost: h\r\nOrigin: https://evil.example\r\n\r\n");
            assertThat(other.status()).isEqualTo(200);
            assertThat(other.headers().stream().map(h -> h[0].toLowerCase()).filter(n -> n.startsWith("access-control-"))).isEmpty();
            RawHttpClient.Response putPreflight = client.exchange("OPTIONS /todos HTTP/1.1\r\nHost: h\r\n"
                    + "Origin: https://app.example.com\r\nAccess-Control-Request-Method: PUT\r\n\r\n");
            assertThat(putPreflight.header("Access-Control-Allow-Origin")).isNull();
            assertThat(putPreflight.header("Allow")).isEqualTo("GET, HEAD, PUT, OPTIONS"); // the automatic answer
            RawHttpClient.Response headerPreflight = client.exchange("OPTIONS /todos HTTP/1.1\r\nHost: h\r\n"
                    + "Origin: https://app.example.com\r\nAccess-Control-Request-Method: GET\r\n"
                    + "Access-Control-Request-Headers: X-Secret\r\n\r\n");
            assertThat(headerPreflight.header("Access-Control-Allow-Origin")).isNull();
            assertThat(client.exchange("GET /todos HTTP/1.1\r\nHost: h\r\n\r\n").header("Access-Control-Allow-Origin")).isNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void anyOriginWithoutCredentialsAnswersAStarAndEchoesRequestedHeaders(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, b -> b
                .group("/api", api -> api
                        .filter(Cors.builder().allowOrigins("*").allowHeaders("*").build())
                        .get("/x", (req, res) -> res.send("x"))));
             var client = server.client()) {
            RawHttpClient.Response simple = client.exchange("GET /api/x HTTP/1.1\r\nHost: h\r\nOrigin: https://a.example\r\n\r\n");
            assertThat(simple.header("Access-Control-Allow-Origin")).isEqualTo("*");
            assertThat(simple.header("Vary")).isNull();
            // A group's CORS filter answers the preflights of its paths too.
            RawHttpClient.Response preflight = client.exchange("OPTIONS /api/x HTTP/1.1\r\nHost: h\r\n"
                    + "Origin: https://a.example\r\nAccess-Control-Request-Method: GET\r\n"
                    + "Access-Control-Request-Headers: X-Anything\r\n\r\n");
            assertThat(preflight.status()).isEqualTo(204);
            assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("*");
            assertThat(preflight.header("Access-Control-Allow-Headers")).isEqualTo("X-Anything");
        }
    }

    @Test
    void refusesCredentialsWithAnyOriginAtBuildTime() {
        assertThatThrownBy(() -> Cors.builder().allowOrigins("*").allowCredentials(true).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("allowCredentials(true) cannot go with allowOrigins(\"*\")")
                .hasMessageContaining("list the allowed origins");
        assertThatThrownBy(() -> Cors.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("allowOrigins");
        assertThatThrownBy(() -> Cors.builder().allowOrigins("https://a.example/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trailing '/'");
    }
}
