package io.katana.reactor;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a backend can run in this process and, when it cannot, the human-readable reason and the
 * underlying failure, if any.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param available true when the backend can open reactors here
 * @param reason empty when available; otherwise what is missing and what to do about it
 * @param cause the failure behind the reason, or null
 */
public record Availability(boolean available, String reason, Throwable cause) {

    /** The backend can run here. */
    public static final Availability AVAILABLE = new Availability(true, "", null);

    /**
     * Checks the invariants.
     *
     * @throws IllegalArgumentException if {@code available} is false and {@code reason} is blank: an
     *     unavailable backend must say why, since the reason is what {@link Reactors} reports
     */
    public Availability {
        Objects.requireNonNull(reason, "reason");
        if (!available && reason.isBlank()) {
            throw new IllegalArgumentException("an unavailable backend must say why");
        }
    }

    /**
     * The backend cannot run here.
     *
     * @param reason what is missing and what to do about it, shown to whoever picked the backend
     * @return an unavailability with no recorded failure
     */
    public static Availability unavailable(String reason) {
        return new Availability(false, reason, null);
    }

    /**
     * The backend cannot run here because something failed while probing for it.
     *
     * @param reason what is missing and what to do about it
     * @param cause the failure found while probing (a missing native symbol, say), kept for diagnosis
     * @return an unavailability carrying the failure
     */
    public static Availability unavailable(String reason, Throwable cause) {
        return new Availability(false, reason, cause);
    }

    /** {@return the failure behind an unavailability, if one was recorded} */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(cause);
    }

    @Override
    public String toString() {
        return available ? "available" : "unavailable: " + reason;
    }
}
