package io.katana.tls;

import java.time.Duration;
import javax.net.ssl.SSLException;

/** The peer did not complete the TLS handshake in time; the connection was cut. */
public final class TlsHandshakeTimeoutException extends SSLException {
    private static final long serialVersionUID = 1L;

    /**
     * Made by the TLS layer when the timer fires.
     *
     * @param timeout the handshake timeout that passed
     */
    public TlsHandshakeTimeoutException(Duration timeout) {
        super("the TLS handshake did not complete within " + timeout.toMillis()
                + " ms; raise the handshake timeout if peers are that slow");
    }
}
