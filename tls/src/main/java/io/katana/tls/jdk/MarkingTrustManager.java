package io.katana.tls.jdk;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A client's trust manager that marks each engine whose server chain it is asked to check (a full
 * handshake, see {@link FullHandshakes}), then lets the JDK's own trust manager decide, host name
 * check included. Safe from any thread, as the one it wraps.
 */
final class MarkingTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager checker;
    private final FullHandshakes fullHandshakes;

    MarkingTrustManager(X509ExtendedTrustManager checker, FullHandshakes fullHandshakes) {
        this.checker = checker;
        this.fullHandshakes = fullHandshakes;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        fullHandshakes.mark(engine);
        checker.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checker.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checker.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checker.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checker.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checker.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return checker.getAcceptedIssuers();
    }
}
