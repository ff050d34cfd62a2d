package io.katana.tls;

import io.katana.reactor.Connection;
import javax.net.ssl.SSLSession;

/**
 * The plaintext side of a TLS connection, as its wrapped handler sees it: writes are encrypted, reads
 * are decrypted, {@link #shutdownOutput()} and {@link #close()} send a {@code close_notify} first, and
 * {@link io.katana.reactor.ConnectionHandler#onInputClosed} means the peer sent its {@code close_notify}
 * (a bare TCP end closes the connection with a {@link TlsTruncationException} instead). The handshake
 * is complete before the handler's {@code onOpen}.
 *
 * <p><b>Threading:</b> as {@link Connection}: every method from any thread; calls off the reactor
 * thread are handed to it. The queries below are answered from the handshake's session.
 */
public interface TlsConnection extends Connection {

    /** {@return the negotiated protocol version, such as {@code TLSv1.3}} */
    String protocol();

    /** {@return the negotiated cipher suite (IANA name)} */
    String cipherSuite();

    /** {@return the ALPN protocol agreed, or null when none was} */
    String applicationProtocol();

    /** {@return the SNI host name the client asked for (server side), or null} */
    String serverName();

    /**
     * {@return whether the handshake resumed an earlier session (a TLS 1.3 ticket, a TLS 1.2 session id
     * or ticket) instead of a full handshake with certificates} Answered from the wrapped handler's
     * {@code onOpen} on; it does not change afterwards. A client resumes when its {@link TlsClient}
     * connected to the same host and port before and that server still knows the session.
     */
    boolean resumed();

    /** {@return the TLS session, for peer certificates and the like} */
    SSLSession session();

    /** {@return the name of the TLS engine serving this connection, such as {@code jdk}} */
    String engineName();
}
