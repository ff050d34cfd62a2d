package io.katana.tls.openssl;

import io.katana.tls.KeyMaterial;
import io.katana.tls.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/** The conformance suite's test certificates, read from its jar through temporary files. */
final class TestIdentities {
    private TestIdentities() {}

    /** {@return the identity {@code name}: {@code name.pem} and {@code name-key.pem}} */
    static KeyMaterial identity(String name) {
        try {
            return KeyMaterial.fromPem(copy(name + ".pem"), copy(name + "-key.pem"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<X509Certificate> certificates(String file) {
        try {
            return Pem.readCertificates(copy(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copy(String file) throws IOException {
        Path copy = Files.createTempFile("katana-openssl-test", ".pem");
        copy.toFile().deleteOnExit();
        try (InputStream in = TestIdentities.class.getResourceAsStream("/io/katana/conformance/tls/" + file)) {
            if (in == null) {
                throw new IOException("test resource " + file + " missing from katana-conformance-tests");
            }
            Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }
}
