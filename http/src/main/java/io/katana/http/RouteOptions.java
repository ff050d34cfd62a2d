package io.katana.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of one route that override the server's for the requests it answers. Immutable: start
 * from {@link #DEFAULT} (nothing overridden) and derive variants with the {@code with} methods.
 *
 * <pre>{@code
 * HttpServer.builder()
 *         .route(HttpMethod.GET, "/report", RouteOptions.DEFAULT.withRequestTimeout(Duration.ofSeconds(30)), report)
 *         ...
 * }</pre>
 *
 * <p>A setting left unset takes the server's value ({@link HttpServer.Builder#timeouts}, {@link
 * HttpServer.Builder#limits}).
 *
 * <p><b>Threading:</b> immutable; safe to share between threads and routes.
 */
public final class RouteOptions {

    /** Nothing overridden: every setting is the server's. */
    public static final RouteOptions DEFAULT = new RouteOptions(null);

    private final Duration requestTimeout;

    private RouteOptions(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    /**
     * {@return a copy with this request timeout} How long the route's handler may take to complete its
     * response, from the moment the request is complete; past it the client gets {@code 503} (or, when
     * the response had already started, the connection is cut) and the handler's late answer is
     * dropped. {@link Duration#ZERO} turns the server's timeout off for this route (long polls, event
     * streams).
     *
     * @param value zero or positive
     * @throws IllegalArgumentException if negative
     */
    public RouteOptions withRequestTimeout(Duration value) {
        Objects.requireNonNull(value, "requestTimeout");
        if (value.isNegative()) {
            throw new IllegalArgumentException("requestTimeout must be zero (none) or positive, got " + value);
        }
        return new RouteOptions(value);
    }

    /**
     * {@return these options, with each setting left unset here taken from {@code defaults}} How a
     * route's own options combine with its {@link RouteGroup#defaults group's}.
     *
     * @param defaults the settings to fall back on
     */
    public RouteOptions orElse(RouteOptions defaults) {
        Objects.requireNonNull(defaults, "defaults");
        return requestTimeout != null || defaults.requestTimeout == null ? this : new RouteOptions(defaults.requestTimeout);
    }

    /** {@return the route's request timeout, or empty to use the server's} Zero means none. */
    public Optional<Duration> requestTimeout() {
        return Optional.ofNullable(requestTimeout);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RouteOptions that && Objects.equals(requestTimeout, that.requestTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(requestTimeout);
    }

    @Override
    public String toString() {
        return "RouteOptions[requestTimeout=" + (requestTimeout == null ? "server's" : requestTimeout) + "]";
    }
}
