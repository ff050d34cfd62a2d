package io.katana.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes a self-signed certificate for development, with the JDK's own {@code keytool} (no new
 * dependency): an EC P-256 key, the given names as subject alternative names. Clients do not trust it
 * unless told to; never serve one in production.
 *
 * <p><b>Threading:</b> stateless, safe from any thread; {@link #generate} blocks while keytool runs
 * (about a second).
 */
public final class SelfSignedCertificate {

    private SelfSignedCertificate() {}

    /**
     * Generates a key and a self-signed certificate.
     *
     * @param hostNames DNS names and IP addresses the certificate names, the first also as its CN
     * @param validity how long the certificate is valid from now
     * @return the key and the one-certificate chain
     * @throws IOException if keytool is missing, fails or times out; the message says which
     */
    public static KeyMaterial generate(List<String> hostNames, Duration validity) throws IOException {
        if (hostNames.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs at least one host name");
        }
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IOException("cannot make a self-signed certificate: " + keytool + " is missing");
        }
        List<String> san = new ArrayList<>();
        for (String name : hostNames) {
            san.add((isIpLiteral(name) ? "ip:" : "dns:") + name);
        }
        Path directory = Files.createTempDirectory("katana-self-signed");
        Path store = directory.resolve("dev.p12");
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().encodeToString(random);
        try {
            ProcessBuilder builder = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "katana",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-dname", "CN=" + hostNames.getFirst(), "-ext", "SAN=" + String.join(",", san),
                    "-validity", Long.toString(Math.max(1, validity.toDays())),
                    "-keystore", store.toString(), "-storetype", "PKCS12",
                    "-storepass:env", "KATANA_KEYSTORE_PASSWORD", "-noprompt");
            builder.environment().put("KATANA_KEYSTORE_PASSWORD", password); // never on a command line
            builder.redirectErrorStream(true);
            Process process = builder.start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("keytool failed (exit " + process.exitValue() + "): " + output.strip());
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, password.toCharArray());
            }
            PrivateKey key = (PrivateKey) keys.getKey("katana", password.toCharArray());
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : keys.getCertificateChain("katana")) {
                chain.add((X509Certificate) certificate);
            }
            return KeyMaterial.of(key, chain);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read keytool's key store: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(directory);
        }
    }

    private static boolean isIpLiteral(String name) {
        if (name.indexOf(':') >= 0) {
            return true;
        }
        if (!name.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
            return false;
        }
        try {
            InetAddress.getByName(name); // a dotted quad parses without a lookup
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
