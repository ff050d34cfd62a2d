package io.katana.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katana.tls.TlsEngines;
import io.katana.tls.spi.TlsEngineProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code testssl} (Debian package {@code testssl.sh}) against {@code katana serve --tls-cert --tls-key}
 * with each available TLS engine: no HIGH or CRITICAL finding at all. The certificate is made for the
 * run by a test CA that testssl is told to trust ({@code --add-ca}), the way a CA would issue it (90
 * days, CRL and OCSP addresses), so that the certificate itself earns no finding and every finding is
 * the server's. The scan runs the sections that rate the server — protocols, cipher categories,
 * forward secrecy, server preferences, server defaults (certificate, resumption) and vulnerabilities
 * ({@code -p -s -f -P -S -U}) — and leaves out HTTP headers, client simulation and the per-cipher list,
 * which rate nothing (about two minutes per engine instead of four and a half). The reports stay in
 * {@code target/testssl/}. A drill: {@code ./mvnw -B -Pdrills -pl examples -am verify -Dtest=TestsslScanTest}.
 */
@Tag("drill")
class TestsslScanTest {
    private static final Path REPORTS = Path.of("target", "testssl").toAbsolutePath();
    private static final long SCAN_LIMIT_SECONDS = 420;

    @TempDir
    static Path certificates;

    static Stream<String> engines() {
        return TlsEngines.all().stream().filter(TlsEngineProvider::isAvailable).map(TlsEngineProvider::name);
    }

    @BeforeAll
    static void issueTheServersCertificate() throws Exception {
        assumeTrue(Tools.runs("testssl", "--version"), "testssl is not installed (apt-get install testssl.sh)");
        assumeTrue(Tools.runs("openssl", "version"), "openssl is not installed (apt-get install openssl)");
        Files.writeString(certificates.resolve("leaf.ext"), """
                subjectAltName = DNS:localhost, IP:127.0.0.1
                basicConstraints = CA:FALSE
                keyUsage = critical, digitalSignature
                extendedKeyUsage = serverAuth
                crlDistributionPoints = URI:http://127.0.0.1:9/katana-test-ca.crl
                authorityInfoAccess = OCSP;URI:http://127.0.0.1:9/ocsp
                """);
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "3650", "-subj", "/CN=Katana testssl CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "server-key.pem", "-out", "server.csr", "-subj", "/CN=localhost");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
                "-days", "90", "-sha256", "-extfile", "leaf.ext", "-out", "server.pem");
        Files.writeString(certificates.resolve("chain.pem"), Files.readString(certificates.resolve("server.pem"))
                + Files.readString(certificates.resolve("ca.pem")));
        Files.createDirectories(REPORTS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void findsNothingHighOrCritical(String engine) throws Exception {
        String backend = Backends.available().findFirst().orElseThrow();
        try (ServerProcess server = ServerProcess.start(backend, List.of("--threads", "1",
                "--tls-cert", certificates.resolve("chain.pem").toString(),
                "--tls-key", certificates.resolve("server-key.pem").toString(), "--tls-engine", engine), List.of(), 0)) {
            TestsslFindings findings = scan(engine, server.port());

            assertThat(findings.withSeverity("HIGH", "CRITICAL")).as("testssl's HIGH and CRITICAL findings for the %s"
                    + " engine (report: %s)", engine, REPORTS.resolve(engine + ".txt")).isEmpty();
            assertThat(findings.withSeverity("FATAL", "WARN")).as("testssl's scan problems").isEmpty();
            // the sections ran and saw what they should: these findings exist only when they did
            assertThat(findings.byId("TLS1_3")).hasValueSatisfying(f -> assertThat(f.finding()).startsWith("offered"));
            assertThat(findings.byId("TLS1_1")).hasValueSatisfying(f -> assertThat(f.finding()).isEqualTo("not offered"));
            assertThat(findings.byId("cipher_order")).hasValueSatisfying(f -> assertThat(f.severity()).isEqualTo("OK"));
            assertThat(findings.byId("cert_chain_of_trust")).hasValueSatisfying(f -> assertThat(f.severity()).isEqualTo("OK"));
            assertThat(findings.byId("secure_client_renego")).hasValueSatisfying(f -> assertThat(f.severity()).isEqualTo("OK"));
            assertThat(server.isAlive()).as("the server after the scan").isTrue();
        }
    }

    private static TestsslFindings scan(String engine, int port) throws Exception {
        Path json = REPORTS.resolve(engine + ".json");
        Path text = REPORTS.resolve(engine + ".txt");
        Files.deleteIfExists(json); // testssl refuses to overwrite its JSON file
        List<String> command = new ArrayList<>(List.of("testssl", "--quiet", "--color", "0", "--warnings", "off",
                "--nodns", "min", "--add-ca", certificates.resolve("ca.pem").toString(),
                "-p", "-s", "-f", "-P", "-S", "-U", "--jsonfile", json.toString(), "https://localhost:" + port + "/"));
        Process testssl = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(text.toFile()).start();
        if (!testssl.waitFor(SCAN_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            testssl.descendants().forEach(ProcessHandle::destroyForcibly);
            testssl.destroyForcibly();
            throw new AssertionError("testssl did not finish within " + SCAN_LIMIT_SECONDS + " s; see " + text);
        }
        assertThat(json).as("testssl's JSON report; its output: %s", text).isNotEmptyFile();
        return TestsslFindings.parse(Files.readString(json));
    }

    private static void openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(certificates.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
