package io.katana.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

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
    public static final RouteOptions DEFAULT = new RouteOptions(null, -1);

    private final Duration requestTimeout;
    /** -1: the server's limit. */
    private final long maxBodyBytes;

    private RouteOptions(Duration requestTimeout, long maxBodyBytes) {
        this.requestTimeout = requestTimeout;
        this.maxBodyBytes = maxBodyBytes;
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
        return new RouteOptions(value, maxBodyBytes);
    }

    /**
     * {@return these options, with each setting left unset here taken from {@code defaults}} How a
     * route's own options combine with its {@link RouteGroup#defaults group's}.
     *
     * @param defaults the settings to fall back on
     */
    public RouteOptions orElse(RouteOptions defaults) {
        Objects.requireNonNull(defaults, "defaults");
        return new RouteOptions(requestTimeout != null ? requestTimeout : defaults.requestTimeout,
                maxBodyBytes >= 0 ? maxBodyBytes : defaults.maxBodyBytes);
    }

    /** {@return the route's request timeout, or empty to use the server's} Zero means none. */
    public Optional<Duration> requestTimeout() {
        return Optional.ofNullable(requestTimeout);
    }

    /**
     * {@return a copy with this body limit} The largest request body the route takes, after chunked
     * decoding, in place of the server's {@link HttpLimits#maxBodySize()} (10 MiB by default); beyond
     * it the client gets {@code 413}. A {@code Content-Length} over it is answered before any of the
     * body is read; a chunked body is counted as it arrives. A buffered body is held in one array, so
     * a route whose handler is not {@link HttpHandler#streaming streaming} takes at most {@code
     * Integer.MAX_VALUE - 16} bytes; a streaming one takes any size, since the body is never held.
     *
     * @param value bytes, zero (no body) or more
     * @throws IllegalArgumentException if negative
     */
    public RouteOptions withMaxBodyBytes(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("maxBodyBytes must be zero or positive, got " + value);
        }
        return new RouteOptions(requestTimeout, value);
    }

    /** {@return the route's body limit in bytes, or empty to use the server's} */
    public OptionalLong maxBodyBytes() {
        return maxBodyBytes < 0 ? OptionalLong.empty() : OptionalLong.of(maxBodyBytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RouteOptions that && Objects.equals(requestTimeout, that.requestTimeout)
                && maxBodyBytes == that.maxBodyBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(requestTimeout) * 31 + Long.hashCode(maxBodyBytes);
    }

    @Override
    public String toString() {
        return "RouteOptions[requestTimeout=" + (requestTimeout == null ? "server's" : requestTimeout)
                + ", maxBodyBytes=" + (maxBodyBytes < 0 ? "server's" : maxBodyBytes) + "]";
    }
}
