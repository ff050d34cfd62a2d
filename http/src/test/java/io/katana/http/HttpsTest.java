package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katana.reactor.spi.ReactorProvider;
import io.katana.tls.KeyMaterial;
import io.katana.tls.Pem;
import io.katana.tls.SelfSignedCertificate;
import io.katana.tls.TlsEngines;
import io.katana.tls.TlsServer;
import io.katana.tls.TlsServerConfig;
import io.katana.tls.spi.TlsEngineProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** HTTPS through {@link HttpServer.Builder#tls} on every backend, with Java's HttpClient and curl. */
class HttpsTest {
    private static final String PROVIDERS = "providersAndEngines";
    private static KeyMaterial identity;

    @BeforeAll
    static void makeCertificate() throws Exception {
        identity = SelfSignedCertificate.generate(List.of("localhost", "127.0.0.1"), Duration.ofDays(2));
    }

    private static HttpServer.Builder routes(HttpServer.Builder builder, TlsServer tls) {
        return builder.tls(tls)
                .get("/hello", (request, response) -> response.send("Hello over TLS"))
                .post("/echo", (request, response) -> response.send(request.bodyAsString()));
    }

    /** Every backend with every TLS engine found; an unavailable one is skipped, saying why. */
    static Stream<Arguments> providersAndEngines() {
        return ProviderServers.providers().stream()
                .flatMap(provider -> TlsEngines.all().stream().map(engine -> Arguments.of(provider, engine)));
    }

    private static TlsServer open(TlsEngineProvider engine) {
        assumeTrue(engine.isAvailable(), () -> engine.name() + " is not available here: " + engine.availability().reason());
        return TlsServer.open(TlsServerConfig.builder(identity).build(), engine);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource(PROVIDERS)
    void javaHttpClientKeepsOneTlsConnectionForSeveralRequests(ReactorProvider provider, TlsEngineProvider engine)
            throws Exception {
        try (TlsServer tls = open(engine);
                var server = ProviderServers.start(provider, b -> routes(b, tls));
                HttpClient client = HttpClient.newBuilder().sslContext(trusting(identity)).build()) {
            URI base = URI.create("https://localhost:" + server.port());

            var hello = client.send(java.net.http.HttpRequest.newBuilder(base.resolve("/hello")).build(),
                    BodyHandlers.ofString());
            String big = "x".repeat(100_000);
            var echo = client.send(java.net.http.HttpRequest.newBuilder(base.resolve("/echo"))
                    .POST(BodyPublishers.ofString(big)).build(), BodyHandlers.ofString());

            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.body()).isEqualTo("Hello over TLS");
            assertThat(echo.body()).isEqualTo(big);
            assertThat(hello.sslSession()).get().extracting(s -> s.getProtocol()).isEqualTo("TLSv1.3");
            assertThat(server.group().stats().connectionsAccepted()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource(PROVIDERS)
    void curlVerifiesTheCertificateAndGetsTheAnswer(ReactorProvider provider, TlsEngineProvider engine, @TempDir Path dir)
            throws Exception {
        assumeTrue(tool("curl", "--version"), "curl is not installed (CI installs it: apt-get install curl)");
        Path certificate = Files.writeString(dir.resolve("cert.pem"), Pem.encodeCertificates(identity.chain()));
        try (TlsServer tls = open(engine);
                var server = ProviderServers.start(provider, b -> routes(b, tls))) {
            Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "20", "--cacert", certificate.toString(),
                    "https://127.0.0.1:" + server.port() + "/hello", "https://127.0.0.1:" + server.port() + "/hello")
                    .redirectErrorStream(true).start();
            String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(curl.exitValue()).as(output).isZero();
            assertThat(output).isEqualTo("Hello over TLSHello over TLS");
        }
    }

    private static SSLContext trusting(KeyMaterial material) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("server", material.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static boolean tool(String... probe) {
        try {
            Process process = new ProcessBuilder(probe).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
