package io.katana.tls;

/** No TLS engine can serve the request: the one asked for is unavailable or unknown, or none is found. */
public final class TlsEngineUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Made by discovery and by engines.
     *
     * @param message which engine, why it cannot run, and what was found instead
     * @param cause the failure found while probing, or null
     */
    public TlsEngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
