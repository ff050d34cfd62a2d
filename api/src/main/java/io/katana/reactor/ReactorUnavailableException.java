package io.katana.reactor;

/**
 * Thrown when a backend was asked for by name, or forced with {@code -Dkatana.reactor} or {@code
 * KATANA_REACTOR}, but cannot run here. The message lists every backend found and why each is or is
 * not available.
 */
public final class ReactorUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with the failure found while probing the backend.
     *
     * @param message which backend was wanted and why none fits
     * @param cause the failure behind the unavailability, or null
     */
    public ReactorUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates the exception.
     *
     * @param message which backend was wanted and why none fits
     */
    public ReactorUnavailableException(String message) {
        super(message);
    }
}
