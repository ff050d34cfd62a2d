package io.katana.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katana.tls.TlsEngines;
import io.katana.tls.spi.TlsEngineProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code katana serve --tls-cert --tls-key} in a child JVM started as the launcher starts it, on every
 * backend with every TLS engine, driven by the clients people use: curl, {@code openssl s_client} (ALPN, SNI, and session
 * resumption by TLS 1.3 ticket and by TLS 1.2 session id) and Python's {@code ssl}. A client missing
 * here skips its test, saying so. Also: {@code --tls-self-signed} says loudly that clients will not
 * trust it, and a missing file or an encrypted key stops the launcher with a message saying why.
 */
class ServeTlsTest {
    /** The conformance suite's test certificates (localhost, 127.0.0.1, ::1; signed by ca.pem). */
    private static final Path CERTIFICATES = Path.of("..", "conformance-tests", "src", "main", "resources",
            "io", "katana", "conformance", "tls").toAbsolutePath().normalize();
    private static final Path CA = CERTIFICATES.resolve("ca.pem");
    private static final String REQUEST = "GET /plaintext HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

    /** One server per backend and engine, shared by the clients' tests. */
    private static final Map<String, ServerProcess> SERVERS = new ConcurrentHashMap<>();

    @AfterAll
    static void stopServers() throws InterruptedException {
        for (ServerProcess server : SERVERS.values()) {
            server.close();
        }
    }

    /** Every available backend with every available TLS engine. */
    static Stream<Arguments> backendsAndEngines() {
        return Backends.available().flatMap(backend -> TlsEngines.all().stream()
                .filter(TlsEngineProvider::isAvailable).map(engine -> Arguments.of(backend, engine.name())));
    }

    private static ServerProcess server(String backend, String engine) throws IOException {
        String key = backend + "/" + engine;
        ServerProcess existing = SERVERS.get(key);
        if (existing != null) {
            return existing;
        }
        ServerProcess server = ServerProcess.start(backend, List.of("--threads", "1", "--tls-engine", engine,
                "--tls-cert", CERTIFICATES.resolve("server-ec.pem").toString(),
                "--tls-key", CERTIFICATES.resolve("server-ec-key.pem").toString()), List.of(), 0);
        SERVERS.put(key, server);
        assertThat(server.log()).anySatisfy(line -> assertThat(line)
                .contains("katana: serving https://127.0.0.1:" + server.port()).contains("TLS engine " + engine));
        return server;
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("backendsAndEngines")
    void curlVerifiesTheCertificateAndSpeaksHttp11(String backend, String engine) throws Exception {
        assumeTrue(Tools.runs("curl", "--version"), "curl is not installed (apt-get install curl)");
        ServerProcess server = server(backend, engine);
        Result curl = run(null, "curl", "-sS", "-v", "--max-time", "20", "--cacert", CA.toString(),
                "https://localhost:" + server.port() + "/plaintext");
        assertThat(curl.status()).as(curl.output()).isZero();
        assertThat(curl.output()).contains("Hello, World!").containsPattern("ALPN.*server accepted.*http/1\\.1");
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("backendsAndEngines")
    void opensslResumesATls13SessionFromItsTicket(String backend, String engine, @TempDir Path dir) throws Exception {
        assumeTrue(Tools.runs("openssl", "version"), "openssl is not installed (apt-get install openssl)");
        assertResumes(server(backend, engine), dir.resolve("session.pem"), List.of("-tls1_3"), "TLSv1.3");
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("backendsAndEngines")
    void opensslResumesATls12SessionById(String backend, String engine, @TempDir Path dir) throws Exception {
        assumeTrue(Tools.runs("openssl", "version"), "openssl is not installed (apt-get install openssl)");
        // -no_ticket: resumption from the server's session cache, not from a TLS 1.2 ticket
        assertResumes(server(backend, engine), dir.resolve("session.pem"), List.of("-tls1_2", "-no_ticket"), "TLSv1.2");
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("backendsAndEngines")
    void pythonSslVerifiesTheCertificate(String backend, String engine) throws Exception {
        assumeTrue(Tools.runs("python3", "-c", "import ssl"), "python3 with its ssl module is not installed");
        ServerProcess server = server(backend, engine);
        String script = """
                import ssl, sys, urllib.request
                context = ssl.create_default_context(cafile=sys.argv[1])
                context.set_alpn_protocols(["http/1.1"])
                with urllib.request.urlopen(sys.argv[2], context=context, timeout=20) as response:
                    print(response.status, response.read().decode())
                """;
        Result python = run(null, "python3", "-c", script, CA.toString(), "https://localhost:" + server.port() + "/json");
        assertThat(python.status()).as(python.output()).isZero();
        assertThat(python.output()).contains("200 {\"message\":\"Hello, World!\"}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.katana.examples.reliability.Backends#available")
    void aSelfSignedCertificateIsAnnouncedAndNotTrusted(String backend) throws Exception {
        try (ServerProcess server = ServerProcess.start(backend, List.of("--threads", "1", "--tls-self-signed"), List.of(), 0)) {
            assertThat(String.join("\n", server.log()))
                    .contains("SELF-SIGNED certificate", "clients will NOT trust it", "For development only")
                    .contains("katana: serving https://127.0.0.1:" + server.port());
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/")).build();
                assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
                        .isInstanceOf(SSLHandshakeException.class);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.katana.examples.reliability.Backends#available")
    void aMissingFileOrAnEncryptedKeyStopsTheLauncherSayingWhy(String backend, @TempDir Path dir) throws Exception {
        String chain = CERTIFICATES.resolve("server-ec.pem").toString();
        assertThatThrownBy(() -> ServerProcess.start(backend, List.of("--tls-cert", chain, "--tls-key",
                dir.resolve("missing.pem").toString()), List.of(), 0))
                .hasMessageContaining("katana: --tls-key " + dir.resolve("missing.pem") + ": no such file");
        Path encrypted = dir.resolve("encrypted.pem");
        Files.writeString(encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertThatThrownBy(() -> ServerProcess.start(backend, List.of("--tls-cert", chain, "--tls-key",
                encrypted.toString()), List.of(), 0))
                .hasMessageContaining("holds an encrypted private key").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    /** Two {@code s_client} runs, the second from the first's saved session: it must report "Reused". */
    private static void assertResumes(ServerProcess server, Path session, List<String> versionOptions, String protocol)
            throws Exception {
        Result first = sClient(server, versionOptions, "-sess_out", session.toString());
        assertThat(first.status()).as(first.output()).isZero();
        assertThat(first.output()).contains("New, " + protocol).contains("ALPN protocol: http/1.1")
                .contains("Verify return code: 0 (ok)").contains("Hello, World!");
        assertThat(session).isNotEmptyFile();
        Result second = sClient(server, versionOptions, "-sess_in", session.toString());
        assertThat(second.status()).as(second.output()).isZero();
        assertThat(second.output()).as("the second handshake resumes the first session")
                .contains("Reused, " + protocol).contains("Hello, World!");
    }

    private static Result sClient(ServerProcess server, List<String> versionOptions, String... sessionOptions)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.port(),
                "-alpn", "http/1.1", "-servername", "localhost", "-CAfile", CA.toString(), "-verify_return_error",
                "-ign_eof")); // -ign_eof: read until the server closes, so a TLS 1.3 ticket after the handshake arrives
        command.addAll(versionOptions);
        command.addAll(List.of(sessionOptions));
        return run(REQUEST, command.toArray(String[]::new));
    }

    private record Result(int status, String output) {}

    /** Runs a client, its output in a file so that a client that hangs cannot hang the test. */
    private static Result run(String input, String... command) throws Exception {
        Path log = Files.createTempFile("katana-tls-client", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try (var stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.US_ASCII));
                }
            }
            boolean finished = process.waitFor(30, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(log);
            if (!finished) {
                throw new AssertionError(String.join(" ", command) + " did not finish within 30 s: " + output);
            }
            return new Result(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
