package io.katana.tls.spi;

import io.katana.reactor.Availability;
import io.katana.tls.TlsClientConfig;
import io.katana.tls.TlsEngineUnavailableException;
import io.katana.tls.TlsServerConfig;

/**
 * A TLS engine, found with {@link java.util.ServiceLoader}: register it with {@code provides
 * io.katana.tls.spi.TlsEngineProvider with ...} and a {@code META-INF/services} entry. {@link
 * io.katana.tls.TlsEngines} keeps the available ones, best {@link #priority()} first, ties broken by
 * name. The TLS conformance suite ({@code io.katana.conformance.tls}) judges an engine.
 *
 * <p><b>Threading:</b> every method may be called from any thread. {@link #availability()} is cheap
 * after its first call and never throws: an engine that cannot run says why.
 */
public interface TlsEngineProvider {

    /** {@return a short lower-case name such as {@code jdk}, which users pass to force this engine} */
    String name();

    /** {@return the preference among available engines; higher wins ({@code jdk} is 10)} */
    int priority();

    /** {@return whether this engine can run here and, if not, why in words a user can act on} */
    Availability availability();

    /**
     * Prepares a server configuration.
     *
     * @param config keys, trust and protocol settings
     * @return the context whose engines serve with them
     * @throws IllegalArgumentException if the engine cannot use the configuration (a key type it lacks)
     * @throws TlsEngineUnavailableException if the engine is unavailable
     */
    TlsContext newServerContext(TlsServerConfig config);

    /**
     * Prepares a client configuration.
     *
     * @param config trust, identity and protocol settings
     * @return the context whose engines connect with them
     * @throws IllegalArgumentException if the engine cannot use the configuration
     * @throws TlsEngineUnavailableException if the engine is unavailable
     */
    TlsContext newClientContext(TlsClientConfig config);

    /** {@return whether {@link #availability()} says available} */
    default boolean isAvailable() {
        return availability().available();
    }

    /**
     * Throws, with the reason as message, unless this engine is available.
     *
     * @throws TlsEngineUnavailableException if unavailable; its cause is the failure found while probing
     */
    default void ensureAvailability() {
        Throwable cause = unavailabilityCause();
        if (cause != null) {
            throw (TlsEngineUnavailableException) cause;
        }
    }

    /** {@return why this engine is unavailable, as an exception; null when it is available} */
    default Throwable unavailabilityCause() {
        Availability availability = availability();
        return availability.available() ? null
                : new TlsEngineUnavailableException("TLS engine " + name() + " unavailable: " + availability.reason(),
                        availability.cause());
    }
}
