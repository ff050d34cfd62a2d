package io.katana.tls.spi;

import javax.net.ssl.SSLEngine;

/**
 * One configuration made ready by an engine: keys, trust, protocols, ciphers, ALPN, session cache. It
 * makes an {@link SSLEngine} per connection, already in server or client mode with every parameter
 * applied.
 *
 * <p><b>Threading:</b> {@link #newEngine} may be called from any thread at once; each engine it makes
 * is then used by one reactor thread at a time. {@link #close()} releases what the context holds
 * (native key material, say); engines made before stay usable until their connections close.
 */
public interface TlsContext extends AutoCloseable {

    /**
     * Makes the engine of one connection.
     *
     * @param peerHost the peer's host name for a client (SNI, host name check, session cache), or null
     * @param peerPort the peer's port, or -1
     * @return a fresh engine, configured, handshake not begun
     */
    SSLEngine newEngine(String peerHost, int peerPort);

    /**
     * Tells whether the handshake of an engine this context made resumed an earlier session (a TLS 1.3
     * pre-shared key from a ticket, a TLS 1.2 session id or ticket) rather than authenticating with
     * certificates. The layer asks once per engine, on the thread driving it, right after its handshake
     * finished; an engine may forget the answer after that.
     *
     * @param engine an engine made by {@link #newEngine}, its handshake complete
     * @return true for an abbreviated handshake, false for a full one
     */
    boolean resumed(SSLEngine engine);

    /** Releases the context's resources; calling it again does nothing. */
    @Override
    void close();
}
