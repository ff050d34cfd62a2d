package io.katana.tls;

import javax.net.ssl.SSLException;

/**
 * The peer ended the TCP stream without a TLS {@code close_notify}: what arrived may be cut short by
 * an attacker or a crash, so the connection closes with this cause instead of reporting an orderly
 * end of input.
 */
public final class TlsTruncationException extends SSLException {
    private static final long serialVersionUID = 1L;

    /** Made by the TLS layer. */
    public TlsTruncationException() {
        super("the peer closed the connection without a TLS close_notify: the data may be truncated");
    }
}
