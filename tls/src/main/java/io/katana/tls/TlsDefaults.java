package io.katana.tls;

import java.time.Duration;
import java.util.List;

/** The defaults both configurations start from: TLS 1.3 and 1.2 only, AEAD ciphers with forward secrecy. */
final class TlsDefaults {

    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Strongest first, as the server's order: TLS 1.3's three, then TLS 1.2's ECDHE with AES-GCM or ChaCha20. */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private TlsDefaults() {}

    static List<String> nonEmpty(List<String> values, String what) {
        List<String> copy = List.copyOf(values);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return copy;
    }

    static Duration positive(Duration value, String what) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
        return value;
    }
}
