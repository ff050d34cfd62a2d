package io.katana.tls;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a TLS client trusts and presents: the CA certificates a server must chain to (the JDK's own
 * when none are given), whether the server's name is checked against its certificate, the SNI name,
 * ALPN protocols, a client certificate, protocol versions, cipher suites and handshake timeout. The
 * defaults are those of {@link TlsServerConfig}, with the host name checked.
 *
 * <p>Immutable; safe to share between threads. Built with {@link #builder()}.
 */
public final class TlsClientConfig {
    private final List<X509Certificate> trustedCertificates;
    private final boolean verifyHostName;
    private final String serverName;
    private final List<String> applicationProtocols;
    private final KeyMaterial identity;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final Duration handshakeTimeout;

    private TlsClientConfig(Builder builder) {
        trustedCertificates = List.copyOf(builder.trustedCertificates);
        verifyHostName = builder.verifyHostName;
        serverName = builder.serverName;
        applicationProtocols = List.copyOf(builder.applicationProtocols);
        identity = builder.identity;
        protocols = builder.protocols;
        cipherSuites = builder.cipherSuites;
        handshakeTimeout = builder.handshakeTimeout;
    }

    /** {@return a builder with the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the CA certificates a server must chain to; empty means the JDK's default trust store} */
    public List<X509Certificate> trustedCertificates() {
        return trustedCertificates;
    }

    /** {@return whether the server's certificate must name the host connected to} */
    public boolean verifyHostName() {
        return verifyHostName;
    }

    /** {@return the SNI name sent and checked, or null to use the host name connected to} */
    public String serverName() {
        return serverName;
    }

    /** {@return the ALPN protocols offered, preferred first; empty when ALPN is off} */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /** {@return the client certificate and key, or null when the client presents none} */
    public KeyMaterial identity() {
        return identity;
    }

    /** {@return the protocol versions enabled} */
    public List<String> protocols() {
        return protocols;
    }

    /** {@return the cipher suites enabled (IANA names)} */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** {@return how long the server gets to complete the handshake} */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    @Override
    public String toString() {
        return "TlsClientConfig[trusted " + trustedCertificates.size() + ", verifyHostName " + verifyHostName
                + ", serverName " + serverName + ", alpn " + applicationProtocols + ", identity " + identity
                + ", " + protocols + "]";
    }

    /** Collects a {@link TlsClientConfig}. Not thread-safe: one thread builds. */
    public static final class Builder {
        private List<X509Certificate> trustedCertificates = List.of();
        private boolean verifyHostName = true;
        private String serverName;
        private List<String> applicationProtocols = List.of();
        private KeyMaterial identity;
        private List<String> protocols = TlsDefaults.PROTOCOLS;
        private List<String> cipherSuites = TlsDefaults.CIPHER_SUITES;
        private Duration handshakeTimeout = TlsDefaults.HANDSHAKE_TIMEOUT;

        private Builder() {}

        /**
         * Trusts these CA certificates instead of the JDK's default trust store.
         *
         * @param values the certificates a server's chain must end at (see {@link Pem#readCertificates})
         * @return this builder
         */
        public Builder trustedCertificates(List<X509Certificate> values) {
            this.trustedCertificates = List.copyOf(values);
            return this;
        }

        /**
         * Sets whether the server's certificate must name the host (or {@link #serverName}); on by default.
         *
         * @param value false only for tests against certificates made for another name
         * @return this builder
         */
        public Builder verifyHostName(boolean value) {
            this.verifyHostName = value;
            return this;
        }

        /**
         * Sends this SNI name (and checks the certificate against it) whatever address is connected to.
         *
         * @param value a host name
         * @return this builder
         */
        public Builder serverName(String value) {
            this.serverName = Objects.requireNonNull(value, "serverName");
            return this;
        }

        /**
         * Offers ALPN protocols.
         *
         * @param values preferred first
         * @return this builder
         */
        public Builder applicationProtocols(String... values) {
            this.applicationProtocols = List.of(values);
            return this;
        }

        /**
         * Presents a client certificate when the server asks for one.
         *
         * @param value the key and chain
         * @return this builder
         */
        public Builder identity(KeyMaterial value) {
            this.identity = Objects.requireNonNull(value, "identity");
            return this;
        }

        /**
         * Enables these protocol versions only.
         *
         * @param values such as {@code "TLSv1.2"}
         * @return this builder
         */
        public Builder protocols(String... values) {
            this.protocols = TlsDefaults.nonEmpty(List.of(values), "protocols");
            return this;
        }

        /**
         * Enables these cipher suites only.
         *
         * @param values IANA names
         * @return this builder
         */
        public Builder cipherSuites(String... values) {
            this.cipherSuites = TlsDefaults.nonEmpty(List.of(values), "cipherSuites");
            return this;
        }

        /**
         * Sets how long the server gets to complete the handshake.
         *
         * @param value positive
         * @return this builder
         */
        public Builder handshakeTimeout(Duration value) {
            this.handshakeTimeout = TlsDefaults.positive(value, "handshakeTimeout");
            return this;
        }

        /** {@return the configuration} */
        public TlsClientConfig build() {
            return new TlsClientConfig(this);
        }
    }
}
