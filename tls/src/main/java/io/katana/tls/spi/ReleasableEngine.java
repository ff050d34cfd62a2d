package io.katana.tls.spi;

/**
 * An {@link javax.net.ssl.SSLEngine} that holds memory outside the Java heap (a native TLS library's
 * connection state) implements this so the layer can free it: {@code SSLEngine} itself has no close.
 * The TLS layer calls {@link #release()} once the connection has closed and its handler has heard
 * {@code onClose}, and when a client's connection never opened.
 *
 * <p><b>Threading:</b> {@link #release()} may be called from any thread, more than once; only the first
 * call frees. After it the engine's session still answers what it learned during the handshake, and
 * {@code wrap}/{@code unwrap} throw {@link javax.net.ssl.SSLException}.
 */
public interface ReleasableEngine {

    /** Frees the engine's native state; later calls do nothing. */
    void release();
}
