package io.katana.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {
    static final Path CERTS = Path.of("..", "conformance-tests", "src", "main", "resources", "io", "katana",
            "conformance", "tls");

    @Test
    void readsPkcs8Pkcs1AndSec1KeysWithTheirChains() throws IOException {
        KeyMaterial ec = KeyMaterial.fromPem(CERTS.resolve("server-ec.pem"), CERTS.resolve("server-ec-key.pem"));
        KeyMaterial rsa = KeyMaterial.fromPem(CERTS.resolve("server-rsa.pem"), CERTS.resolve("server-rsa-key.pem"));
        KeyMaterial sec1 = KeyMaterial.fromPem(CERTS.resolve("a-example.pem"), CERTS.resolve("a-example-key.pem"));

        assertThat(ec.privateKey().getAlgorithm()).isEqualTo("EC");
        assertThat(ec.chain()).hasSize(2);
        assertThat(rsa.privateKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(sec1.privateKey().getAlgorithm()).isEqualTo("EC");
        assertThat(sec1.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=a.example");
    }

    @Test
    void toStringNamesTheCertificateNeverTheKey() throws IOException {
        KeyMaterial ec = KeyMaterial.fromPem(CERTS.resolve("server-ec.pem"), CERTS.resolve("server-ec-key.pem"));
        String keyText = java.util.HexFormat.of().formatHex(ec.privateKey().getEncoded());

        assertThat(ec.toString()).contains("CN=localhost").doesNotContain(keyText.substring(keyText.length() - 40));
        assertThat(TlsServerConfig.builder(ec).build().toString()).doesNotContain(keyText.substring(keyText.length() - 40));
    }

    @Test
    void aKeyThatDoesNotMatchTheLeafIsRefusedNamingBothFiles() {
        assertThatThrownBy(() -> KeyMaterial.fromPem(CERTS.resolve("server-rsa.pem"), CERTS.resolve("server-ec-key.pem")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("server-ec-key.pem").hasMessageContaining("server-rsa.pem");
    }

    @Test
    void encryptedKeysAreRefusedWithTheCommandThatDecryptsThem(@TempDir Path dir) throws IOException {
        Path key = dir.resolve("key.pem");
        Files.writeString(key, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n");

        assertThatThrownBy(() -> Pem.readPrivateKey(key)).hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void aFileWithoutAKeySaysWhatWasExpected(@TempDir Path dir) throws IOException {
        Path key = dir.resolve("empty.pem");
        Files.writeString(key, "nothing here\n");

        assertThatThrownBy(() -> Pem.readPrivateKey(key)).hasMessageContaining("BEGIN PRIVATE KEY");
        assertThatThrownBy(() -> Pem.readCertificates(key)).hasMessageContaining("BEGIN CERTIFICATE");
    }

    @Test
    void certificatesRoundTripThroughPemText(@TempDir Path dir) throws IOException {
        List<java.security.cert.X509Certificate> chain = Pem.readCertificates(CERTS.resolve("server-ec.pem"));
        Path copy = Files.writeString(dir.resolve("copy.pem"), Pem.encodeCertificates(chain));

        assertThat(Pem.readCertificates(copy)).isEqualTo(chain);
    }

    @Test
    void selfSignedCertificatesNameTheirHosts() throws Exception {
        KeyMaterial material = SelfSignedCertificate.generate(List.of("localhost", "127.0.0.1"), Duration.ofDays(2));

        assertThat(material.certificate().getSubjectAlternativeNames())
                .extracting(entry -> (Object) entry.get(1)).containsExactly("localhost", "127.0.0.1");
        material.certificate().checkValidity();
    }
}
