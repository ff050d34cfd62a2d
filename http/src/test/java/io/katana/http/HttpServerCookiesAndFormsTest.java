package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.spi.ReactorProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Cookies read and set, URL-encoded forms decoded; with Java's HttpClient, on every backend. */
class HttpServerCookiesAndFormsTest {

    private static final String PROVIDERS = "io.katana.http.ProviderServers#providers";

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void readsCookiesAndSetsOneFieldLinePerCookie(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, b -> b.get("/login", (req, res) -> res
                .cookie(Cookie.builder("session", "s-" + req.cookie("visitor")).path("/").httpOnly()
                        .sameSite(Cookie.SameSite.LAX).maxAge(Duration.ofHours(8)).build())
                .cookie(Cookie.of("theme", "dark"))
                .send(String.join(",", req.cookies().keySet()))))) {
            var response = CLIENT.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/login"))
                    .header("Cookie", "visitor=v1; lang=\"en\"; broken; visitor=shadowed").build(), BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("visitor,lang");
            assertThat(response.headers().allValues("Set-Cookie")).containsExactly(
                    "session=s-v1; Max-Age=28800; Path=/; HttpOnly; SameSite=Lax", "theme=dark");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void decodesUrlEncodedFormsOnTheReactorAndOnVirtualThreads(ReactorProvider provider) throws Exception {
        HttpHandler echo = (req, res) -> res.send(req.formParams().toString() + " first=" + req.formParam("tag"));
        try (var server = ProviderServers.start(provider, b -> b.post("/form", echo).post("/blocking", HttpHandler.blocking(echo)))) {
            for (String path : new String[] {"/form", "/blocking"}) {
                var response = CLIENT.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                        .POST(BodyPublishers.ofString("name=J%C3%BCrgen+M&tag=a&tag=b%26c&empty=")).build(), BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("{name=[Jürgen M], tag=[a, b&c], empty=[]} first=a");
            }
            var notAForm = CLIENT.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/form"))
                    .header("Content-Type", "text/plain").POST(BodyPublishers.ofString("a=1")).build(), BodyHandlers.ofString());
            assertThat(notAForm.body()).isEqualTo("{} first=null");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void decodesAFormWhoseBodyArrivedOverManyReadsAndChunked(ReactorProvider provider) throws Exception {
        String big = "x".repeat(200_000);
        try (var server = ProviderServers.start(provider, b -> b.post("/form",
                (req, res) -> res.send(req.formParam("a").length() + ":" + req.formParam("b"))));
             var client = server.client()) {
            String body = "a=" + big + "&b=end";
            client.send("POST /form HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("200000:end");
        }
    }
}
