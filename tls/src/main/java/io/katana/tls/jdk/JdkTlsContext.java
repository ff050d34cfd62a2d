package io.katana.tls.jdk;

import io.katana.tls.ClientAuth;
import io.katana.tls.KeyMaterial;
import io.katana.tls.TlsClientConfig;
import io.katana.tls.TlsServerConfig;
import io.katana.tls.spi.TlsContext;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * An {@link SSLContext} with the parameters each of its engines gets, and the record of which engines'
 * handshakes were full ones ({@link FullHandshakes}). Safe from any thread.
 */
final class JdkTlsContext implements TlsContext {
    private final SSLContext context;
    private final SSLParameters parameters;
    private final boolean server;
    private final FullHandshakes fullHandshakes;

    private JdkTlsContext(SSLContext context, SSLParameters parameters, boolean server, FullHandshakes fullHandshakes) {
        this.context = context;
        this.parameters = parameters;
        this.server = server;
        this.fullHandshakes = fullHandshakes;
    }

    static JdkTlsContext server(TlsServerConfig config) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            FullHandshakes fullHandshakes = new FullHandshakes();
            TrustManager[] trust = config.clientAuth() == ClientAuth.NONE ? null
                    : new TrustManager[] {checker(config.trustedCertificates())};
            context.init(new KeyManager[] {new SniKeyManager(config, fullHandshakes)}, trust, null);
            context.getServerSessionContext().setSessionCacheSize(config.sessionCacheSize());
            context.getServerSessionContext().setSessionTimeout((int) Math.min(Integer.MAX_VALUE,
                    config.sessionTimeout().toSeconds()));
            SSLParameters parameters = parameters(context, config.protocols(), config.cipherSuites());
            parameters.setUseCipherSuitesOrder(true);
            parameters.setApplicationProtocols(config.applicationProtocols().toArray(String[]::new));
            switch (config.clientAuth()) {
                case REQUIRED -> parameters.setNeedClientAuth(true);
                case OPTIONAL -> parameters.setWantClientAuth(true);
                case NONE -> { }
            }
            return new JdkTlsContext(context, parameters, true, fullHandshakes);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the JDK cannot use this TLS configuration: " + e.getMessage(), e);
        }
    }

    static JdkTlsContext client(TlsClientConfig config) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManager[] keys = null;
            KeyMaterial identity = config.identity();
            if (identity != null) {
                keys = new KeyManager[] {new SniKeyManager(identity)};
            }
            FullHandshakes fullHandshakes = new FullHandshakes();
            TrustManager trust = new MarkingTrustManager(checker(config.trustedCertificates()), fullHandshakes);
            context.init(keys, new TrustManager[] {trust}, null);
            SSLParameters parameters = parameters(context, config.protocols(), config.cipherSuites());
            parameters.setApplicationProtocols(config.applicationProtocols().toArray(String[]::new));
            if (config.verifyHostName()) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (config.serverName() != null) {
                parameters.setServerNames(List.of(new SNIHostName(config.serverName())));
            }
            return new JdkTlsContext(context, parameters, false, fullHandshakes);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the JDK cannot use this TLS configuration: " + e.getMessage(), e);
        }
    }

    @Override
    public SSLEngine newEngine(String peerHost, int peerPort) {
        SSLEngine engine = peerHost == null ? context.createSSLEngine() : context.createSSLEngine(peerHost, peerPort);
        engine.setUseClientMode(!server);
        engine.setSSLParameters(parameters);
        return engine;
    }

    @Override
    public boolean resumed(SSLEngine engine) {
        return fullHandshakes.resumed(engine);
    }

    @Override
    public void close() {
        // nothing native: the keys are Java objects, collected with the context
    }

    /** Keeps the configured names the JDK supports, in the configured order; none left is an error. */
    private static SSLParameters parameters(SSLContext context, List<String> protocols, List<String> cipherSuites) {
        SSLParameters supported = context.getSupportedSSLParameters();
        Set<String> supportedProtocols = Set.of(supported.getProtocols());
        Set<String> supportedSuites = Set.of(supported.getCipherSuites());
        String[] enabledProtocols = protocols.stream().filter(supportedProtocols::contains).toArray(String[]::new);
        String[] enabledSuites = cipherSuites.stream().filter(supportedSuites::contains).toArray(String[]::new);
        if (enabledProtocols.length == 0) {
            throw new IllegalArgumentException("none of the protocols " + protocols + " is supported by the JDK: "
                    + Arrays.toString(supported.getProtocols()));
        }
        if (enabledSuites.length == 0) {
            throw new IllegalArgumentException("none of the cipher suites " + cipherSuites + " is supported by the JDK");
        }
        SSLParameters parameters = new SSLParameters(enabledSuites, enabledProtocols);
        return parameters;
    }

    /** The JDK's chain (and host name) checker trusting {@code certificates}, or its default CAs when empty. */
    private static X509ExtendedTrustManager checker(List<X509Certificate> certificates) throws GeneralSecurityException {
        KeyStore store = null;
        if (!certificates.isEmpty()) {
            store = KeyStore.getInstance(KeyStore.getDefaultType());
            try {
                store.load(null, null);
            } catch (java.io.IOException e) {
                throw new GeneralSecurityException(e);
            }
            int i = 0;
            for (X509Certificate certificate : certificates) {
                store.setCertificateEntry("trusted-" + i++, certificate);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager checker) {
                return checker;
            }
        }
        throw new GeneralSecurityException("the JDK's " + factory.getAlgorithm() + " trust manager factory made no X.509 trust manager");
    }
}
