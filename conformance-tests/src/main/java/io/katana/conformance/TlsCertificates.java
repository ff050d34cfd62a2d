package io.katana.conformance;

import io.katana.tls.KeyMaterial;
import io.katana.tls.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The suite's test certificates (see {@code io/katana/conformance/tls/README.md}), copied once from the
 * jar to a temporary directory so that they load through the same PEM path users take, and so that
 * command-line clients can read them. Thread-safe: made once, then read only.
 */
final class TlsCertificates {

    private static final String[] FILES = {"ca.pem", "other-ca.pem", "server-ec.pem", "server-ec-key.pem",
        "server-rsa.pem", "server-rsa-key.pem", "a-example.pem", "a-example-key.pem", "b-example.pem",
        "b-example-key.pem", "client.pem", "client-key.pem", "untrusted.pem", "untrusted-key.pem",
        "untrusted-client.pem", "untrusted-client-key.pem"};

    private static final class Copied {
        static final Path DIRECTORY = copy();
    }

    private TlsCertificates() {}

    /** {@return the copied file, such as {@code ca.pem}} @param name a file of the suite's set */
    static Path file(String name) {
        return Copied.DIRECTORY.resolve(name);
    }

    /** {@return the identity in {@code NAME.pem} and {@code NAME-key.pem}} @param name such as {@code server-ec} */
    static KeyMaterial identity(String name) {
        try {
            return KeyMaterial.fromPem(file(name + ".pem"), file(name + "-key.pem"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the certificates of {@code ca.pem}-like file {@code name}} @param name such as {@code ca.pem} */
    static List<X509Certificate> certificates(String name) {
        try {
            return Pem.readCertificates(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return a JDK context trusting {@code ca.pem}, presenting {@code identity} if not null} */
    static SSLContext jdkContext(KeyMaterial identity) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", certificates("ca.pem").getFirst());
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            KeyManagerFactory keyManagers = null;
            if (identity != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                char[] password = "test".toCharArray();
                keys.setKeyEntry("identity", identity.privateKey(), password,
                        identity.chain().toArray(X509Certificate[]::new));
                keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(keys, password);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the suite's JDK TLS context: " + e, e);
        }
    }

    private static Path copy() {
        try {
            Path directory = Files.createTempDirectory("katana-tls-certificates");
            directory.toFile().deleteOnExit();
            for (String name : FILES) {
                try (InputStream in = TlsCertificates.class.getResourceAsStream("tls/" + name)) {
                    if (in == null) {
                        throw new IllegalStateException("the suite's jar lacks io/katana/conformance/tls/" + name);
                    }
                    Path target = directory.resolve(name);
                    Files.copy(in, target);
                    target.toFile().deleteOnExit();
                }
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
