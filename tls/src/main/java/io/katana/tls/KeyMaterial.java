package io.katana.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key and its certificate chain (leaf first): a server's identity, or a client's. Its
 * {@link #toString()} names the certificate, never the key.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class KeyMaterial {
    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    private KeyMaterial(PrivateKey privateKey, List<X509Certificate> chain) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.chain = List.copyOf(chain);
        if (this.chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least the leaf certificate");
        }
    }

    /**
     * Key material from objects already loaded.
     *
     * @param privateKey the leaf certificate's private key
     * @param chain the leaf certificate first, then the intermediates
     * @return the key material
     */
    public static KeyMaterial of(PrivateKey privateKey, List<X509Certificate> chain) {
        return new KeyMaterial(privateKey, chain);
    }

    /**
     * Key material from PEM files, as a CA hands them out (see {@link Pem}).
     *
     * @param chainFile the certificate chain, leaf first (a "fullchain" file)
     * @param keyFile the private key: PKCS#8, PKCS#1 or SEC1, not encrypted
     * @return the key material
     * @throws IOException if a file cannot be read or parsed; the message names the file and the fix
     */
    public static KeyMaterial fromPem(Path chainFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = Pem.readCertificates(chainFile);
        PrivateKey key = Pem.readPrivateKey(keyFile);
        if (!chain.getFirst().getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            throw new IOException(keyFile + " holds a " + key.getAlgorithm() + " key but the first certificate of "
                    + chainFile + " has a " + chain.getFirst().getPublicKey().getAlgorithm()
                    + " key: the leaf certificate must come first and match the key");
        }
        return new KeyMaterial(key, chain);
    }

    /** {@return the private key; never logged} */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** {@return the certificate chain, leaf first} */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** {@return the leaf certificate} */
    public X509Certificate certificate() {
        return chain.getFirst();
    }

    @Override
    public String toString() {
        return "KeyMaterial[" + privateKey.getAlgorithm() + " key, subject "
                + certificate().getSubjectX500Principal().getName() + ", chain of " + chain.size() + "]";
    }
}
