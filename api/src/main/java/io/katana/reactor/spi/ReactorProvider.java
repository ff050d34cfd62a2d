package io.katana.reactor.spi;

import io.katana.reactor.Availability;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.ReactorUnavailableException;

/**
 * A reactor backend, found with {@link java.util.ServiceLoader}. Register an implementation with
 * {@code provides io.katana.reactor.spi.ReactorProvider with ...} in {@code module-info.java} and a
 * {@code META-INF/services} entry (AutoService writes the latter).
 *
 * <p>Discovery ({@link io.katana.reactor.Reactors}) keeps the available providers, orders them by
 * {@link #priority()} (highest first), and breaks ties by {@link #name()}.
 *
 * <p><b>Threading:</b> every method may be called from any thread. {@link #availability()} must be
 * cheap after its first call (compute once, then cache) and must never throw: a backend that cannot
 * run says why instead.
 */
public interface ReactorProvider {

    /** {@return a short, unique, lower-case name such as {@code epoll-ffm}; what users pass to pick it} */
    String name();

    /**
     * {@return the preference among available providers; higher wins} {@code nio} is 10, {@code
     * epoll-ffm} 100: a third-party backend picks a number relative to those.
     */
    int priority();

    /** {@return whether this backend can run here, and if not, why, in words a user can act on} */
    Availability availability();

    /**
     * Opens a group of reactors and starts their threads.
     *
     * @param config threads, buffers and timer settings of the group
     * @return the started group
     * @throws ReactorUnavailableException if the backend is not available
     */
    ReactorGroup open(ReactorConfig config);

    /**
     * {@return whether a peer's reset of a connection whose reading is paused is reported at once}
     * When true, such a connection closes with the reset as the cause of {@link
     * io.katana.reactor.ConnectionHandler#onClose} as soon as it arrives, as if it were reading (epoll
     * reports {@code EPOLLERR} and {@code EPOLLHUP} whatever the interest). When false (the default; a
     * {@code java.nio} Selector hears nothing of a socket it is not asked to read), the reset is
     * reported at the latest when reading resumes, or earlier by a write that fails. The conformance
     * suite holds a backend to what this says.
     */
    default boolean reportsResetWhilePaused() {
        return false;
    }

    /** {@return whether {@link #availability()} says available} */
    default boolean isAvailable() {
        return availability().available();
    }

    /**
     * Throws, with the reason as message, unless this backend is available.
     *
     * @throws ReactorUnavailableException if {@link #availability()} says unavailable; its cause is
     *     the failure found while probing, if any
     */
    default void ensureAvailability() {
        Availability availability = availability();
        if (!availability.available()) {
            throw new ReactorUnavailableException(
                    name() + " unavailable: " + availability.reason(), availability.cause());
        }
    }

    /** {@return why this backend is unavailable, as an exception; null when it is available} */
    default Throwable unavailabilityCause() {
        Availability availability = availability();
        if (availability.available()) {
            return null;
        }
        return new ReactorUnavailableException(name() + " unavailable: " + availability.reason(), availability.cause());
    }
}
