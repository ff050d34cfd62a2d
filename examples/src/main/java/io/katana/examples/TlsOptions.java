package io.katana.examples;

import io.katana.tls.KeyMaterial;
import io.katana.tls.SelfSignedCertificate;
import io.katana.tls.TlsEngines;
import io.katana.tls.TlsServer;
import io.katana.tls.TlsServerConfig;
import io.katana.tls.spi.TlsEngineProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The launcher's TLS options: {@code --tls-cert FILE --tls-key FILE} (a PEM chain, leaf first, and its
 * key), {@code --tls-self-signed} (a development certificate made at start) and {@code --tls-engine NAME}.
 * ALPN offers {@code http/1.1}, the only protocol the server speaks.
 *
 * <p><b>Threading:</b> stateless; called once by the command's thread.
 */
final class TlsOptions {
    /** Options that take a value. */
    static final Set<String> VALUED = Set.of("tls-cert", "tls-key", "tls-engine");
    /** Options that take none. */
    static final Set<String> FLAGS = Set.of("tls-self-signed");

    private static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(30);

    private TlsOptions() {}

    /**
     * {@return the TLS server the options ask for, or null when they ask for none}
     *
     * @param host the host the server listens on, named by a self-signed certificate besides localhost
     * @param warnings where the self-signed certificate is announced
     * @throws IllegalArgumentException saying which option is wrong and why
     */
    static TlsServer open(CommandLine line, String host, PrintStream warnings) {
        boolean selfSigned = line.has("tls-self-signed");
        boolean files = line.has("tls-cert") || line.has("tls-key");
        if (!selfSigned && !files) {
            if (line.has("tls-engine")) {
                throw new IllegalArgumentException("--tls-engine needs --tls-cert and --tls-key, or --tls-self-signed");
            }
            return null;
        }
        if (selfSigned && files) {
            throw new IllegalArgumentException("--tls-self-signed makes its own certificate: drop --tls-cert and --tls-key, or it");
        }
        if (files && !(line.has("tls-cert") && line.has("tls-key"))) {
            throw new IllegalArgumentException("--tls-cert FILE and --tls-key FILE go together: the PEM chain (leaf first) and its private key");
        }
        String engineName = line.get("tls-engine", null);
        TlsEngineProvider engine = engineName == null ? TlsEngines.best() : TlsEngines.named(engineName); // before keytool runs
        TlsServerConfig.Builder config;
        try {
            config = selfSigned ? TlsServerConfig.builder(selfSigned(host, warnings))
                    : TlsServerConfig.builder(readable(line, "tls-cert"), readable(line, "tls-key"));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot use the TLS certificate: " + e.getMessage(), e);
        }
        config.applicationProtocols("http/1.1");
        return TlsServer.open(config.build(), engine);
    }

    private static Path readable(CommandLine line, String option) {
        String value = line.get(option, null);
        Path file = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--" + option + " " + value + ": no such file (" + file + ")");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("--" + option + " " + value + ": not readable by this user (" + file + ")");
        }
        return file;
    }

    private static KeyMaterial selfSigned(String host, PrintStream warnings) throws IOException {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        if (!host.isBlank() && !host.equals("0.0.0.0") && !host.equals("::")) {
            names.add(host);
        }
        KeyMaterial material = SelfSignedCertificate.generate(List.copyOf(names), SELF_SIGNED_VALIDITY);
        warnings.println("katana: WARNING: serving a SELF-SIGNED certificate for " + String.join(", ", names)
                + ", made just now: clients will NOT trust it (curl needs --insecure, browsers warn)."
                + " For development only; use --tls-cert and --tls-key in production.");
        warnings.flush();
        return material;
    }
}
