package io.katana.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a TLS server presents and accepts: its default identity, more identities chosen by the SNI name
 * a client asks for, ALPN protocols in the server's order of preference, client certificates, and the
 * protocol versions, cipher suites (the server's order wins), session cache and handshake timeout.
 *
 * <p>Defaults: TLS 1.3 and 1.2, the AEAD ECDHE cipher suites strongest first, no ALPN, no client
 * certificate, a 10 s handshake timeout, 20,480 cached sessions for 1 hour (TLS 1.2 session ids; TLS 1.3
 * resumes from tickets).
 *
 * <p>Immutable; safe to share between threads. Built with {@link #builder(KeyMaterial)}.
 */
public final class TlsServerConfig {
    private final KeyMaterial identity;
    private final Map<String, KeyMaterial> identitiesByName;
    private final List<String> applicationProtocols;
    private final ClientAuth clientAuth;
    private final List<X509Certificate> trustedCertificates;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final Duration handshakeTimeout;
    private final int sessionCacheSize;
    private final Duration sessionTimeout;

    private TlsServerConfig(Builder builder) {
        identity = builder.identity;
        identitiesByName = Map.copyOf(builder.identitiesByName);
        applicationProtocols = List.copyOf(builder.applicationProtocols);
        clientAuth = builder.clientAuth;
        trustedCertificates = List.copyOf(builder.trustedCertificates);
        protocols = builder.protocols;
        cipherSuites = builder.cipherSuites;
        handshakeTimeout = builder.handshakeTimeout;
        sessionCacheSize = builder.sessionCacheSize;
        sessionTimeout = builder.sessionTimeout;
        if (clientAuth != ClientAuth.NONE && trustedCertificates.isEmpty()) {
            throw new IllegalArgumentException("client certificates are " + clientAuth
                    + " but no trusted certificate is given: add trustedCertificates(...)");
        }
    }

    /**
     * Starts a configuration.
     *
     * @param identity the key and chain presented when no SNI name matches
     * @return a builder with the defaults
     */
    public static Builder builder(KeyMaterial identity) {
        return new Builder(identity);
    }

    /**
     * Starts a configuration from PEM files.
     *
     * @param chainFile the certificate chain, leaf first
     * @param keyFile the private key
     * @return a builder with the defaults
     * @throws IOException if a file cannot be read or parsed
     */
    public static Builder builder(Path chainFile, Path keyFile) throws IOException {
        return new Builder(KeyMaterial.fromPem(chainFile, keyFile));
    }

    /** {@return the identity presented when no SNI name matches} */
    public KeyMaterial identity() {
        return identity;
    }

    /** {@return identities by lower-case host name; a key {@code *.example.com} matches one label} */
    public Map<String, KeyMaterial> identitiesByName() {
        return identitiesByName;
    }

    /**
     * {@return the identity for the SNI name a client asked for: an exact name, else a wildcard one
     * label deep, else the default}
     *
     * @param serverName the requested name, or null when the client sent none
     */
    public KeyMaterial identityFor(String serverName) {
        if (serverName == null || identitiesByName.isEmpty()) {
            return identity;
        }
        String name = serverName.toLowerCase(Locale.ROOT);
        KeyMaterial exact = identitiesByName.get(name);
        if (exact != null) {
            return exact;
        }
        int dot = name.indexOf('.');
        KeyMaterial wildcard = dot > 0 ? identitiesByName.get("*" + name.substring(dot)) : null;
        return wildcard != null ? wildcard : identity;
    }

    /** {@return the ALPN protocols offered, the server's preference first; empty when ALPN is off} */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /** {@return whether clients are asked for a certificate} */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** {@return the certificates a client certificate must chain to} */
    public List<X509Certificate> trustedCertificates() {
        return trustedCertificates;
    }

    /** {@return the protocol versions enabled, such as {@code TLSv1.3}} */
    public List<String> protocols() {
        return protocols;
    }

    /** {@return the cipher suites enabled (IANA names), the server's preference first} */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** {@return how long a client gets to complete its handshake} */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** {@return how many sessions the server keeps for resumption by session id} */
    public int sessionCacheSize() {
        return sessionCacheSize;
    }

    /** {@return how long a session may be resumed} */
    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    @Override
    public String toString() {
        return "TlsServerConfig[" + identity + ", names " + identitiesByName.keySet() + ", alpn " + applicationProtocols
                + ", clientAuth " + clientAuth + ", " + protocols + "]";
    }

    /** Collects a {@link TlsServerConfig}. Not thread-safe: one thread builds. */
    public static final class Builder {
        private final KeyMaterial identity;
        private final Map<String, KeyMaterial> identitiesByName = new LinkedHashMap<>();
        private List<String> applicationProtocols = List.of();
        private ClientAuth clientAuth = ClientAuth.NONE;
        private List<X509Certificate> trustedCertificates = List.of();
        private List<String> protocols = TlsDefaults.PROTOCOLS;
        private List<String> cipherSuites = TlsDefaults.CIPHER_SUITES;
        private Duration handshakeTimeout = TlsDefaults.HANDSHAKE_TIMEOUT;
        private int sessionCacheSize = 20_480;
        private Duration sessionTimeout = Duration.ofHours(1);

        private Builder(KeyMaterial identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
        }

        /**
         * Presents {@code material} to clients that ask for {@code serverName} by SNI.
         *
         * @param serverName a host name, or {@code *.domain} for any name one label below it
         * @param material the key and chain for that name
         * @return this builder
         */
        public Builder identityFor(String serverName, KeyMaterial material) {
            identitiesByName.put(serverName.toLowerCase(Locale.ROOT), Objects.requireNonNull(material, "material"));
            return this;
        }

        /**
         * Offers ALPN protocols; a client that offers none of them is refused.
         *
         * @param protocols such as {@code "h2", "http/1.1"}, the server's preference first
         * @return this builder
         */
        public Builder applicationProtocols(String... protocols) {
            this.applicationProtocols = List.of(protocols);
            return this;
        }

        /**
         * Asks clients for a certificate.
         *
         * @param value whether a certificate is asked for and required
         * @param trusted the certificates (CAs) a client certificate must chain to
         * @return this builder
         */
        public Builder clientAuth(ClientAuth value, List<X509Certificate> trusted) {
            this.clientAuth = Objects.requireNonNull(value, "clientAuth");
            this.trustedCertificates = List.copyOf(trusted);
            return this;
        }

        /**
         * Enables these protocol versions only.
         *
         * @param values such as {@code "TLSv1.3"}; TLS 1.1 and older are refused by the engines anyway
         * @return this builder
         */
        public Builder protocols(String... values) {
            this.protocols = TlsDefaults.nonEmpty(List.of(values), "protocols");
            return this;
        }

        /**
         * Enables these cipher suites only, in this order of preference.
         *
         * @param values IANA names such as {@code "TLS_AES_128_GCM_SHA256"}
         * @return this builder
         */
        public Builder cipherSuites(String... values) {
            this.cipherSuites = TlsDefaults.nonEmpty(List.of(values), "cipherSuites");
            return this;
        }

        /**
         * Sets how long a client gets to complete its handshake before the connection is cut.
         *
         * @param value positive
         * @return this builder
         */
        public Builder handshakeTimeout(Duration value) {
            this.handshakeTimeout = TlsDefaults.positive(value, "handshakeTimeout");
            return this;
        }

        /**
         * Sets the session cache for resumption.
         *
         * @param size sessions kept, 0 for no limit
         * @param timeout how long a session may be resumed, positive
         * @return this builder
         */
        public Builder sessionCache(int size, Duration timeout) {
            if (size < 0) {
                throw new IllegalArgumentException("session cache size must not be negative, got " + size);
            }
            this.sessionCacheSize = size;
            this.sessionTimeout = TlsDefaults.positive(timeout, "sessionTimeout");
            return this;
        }

        /** {@return the configuration} */
        public TlsServerConfig build() {
            return new TlsServerConfig(this);
        }
    }
}
