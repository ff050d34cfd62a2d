package io.katana.reactor;

/**
 * Thrown when a backend was asked for by name, or forced with {@code -Dkatana.reactor} or {@code
 * KATANA_REACTOR}, but cannot run here. The message lists every backend found and why each is or is
 * not available.
 */
public final class ReactorUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public ReactorUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public ReactorUnavailableException(String message) {
        super(message);
    }
}
