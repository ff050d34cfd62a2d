package io.katana.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the server waits for a client. Immutable; derive variants with the {@code with} methods.
 *
 * <p>The timers are checked with the reactor's timer wheel against one deadline per connection, so a
 * timeout fires within a timer tick or so of being due.
 *
 * @param headerRead how long a request's head may take to arrive, from its first byte (or, on a new
 *     connection, from the accept); when it passes the client gets 408 and the connection closes (a
 *     new connection that sent nothing is closed without an answer)
 * @param keepAliveIdle how long a connection may sit idle between requests before it is closed, how
 *     long the server waits for more of a request body before it answers 408 and closes, and how long
 *     a client may leave a response unread (the connection unwritable) before it is aborted
 * @param lingerOnClose after an error answer, how long the server keeps reading (and discarding) what
 *     the client still sends, so the answer is not lost to a TCP reset, before it closes
 * @param minBodyRate the slowest a request body may arrive, in bytes per second averaged over the
 *     body so far, once {@code headerRead} has passed since its head arrived; a slower body gets 408
 *     and the connection closes. It closes the gap the idle timeout leaves: a client that sends a
 *     byte just inside every {@code keepAliveIdle} would otherwise hold its upload open until the
 *     body limit. 0 for no minimum.
 * @param request how long a handler may take to complete its response, from the moment its request
 *     is complete; past it the client gets {@code 503 Service Unavailable} (or, when a streamed response
 *     had already started, the connection is cut), the handler is told through {@link
 *     HttpResponse#onAbandoned} and its late answer is dropped. {@link Duration#ZERO} (the default) for
 *     none; a route may set its own with {@link RouteOptions#withRequestTimeout}.
 */
public record HttpTimeouts(Duration headerRead, Duration keepAliveIdle, Duration lingerOnClose, long minBodyRate,
                           Duration request) {

    /**
     * 10 s to send a head, 60 s idle between requests, 2 s of lingering after an error, bodies at
     * 256 bytes per second or faster (after 10 s of grace), no request timeout.
     */
    public static final HttpTimeouts DEFAULT =
            new HttpTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(2), 256, Duration.ZERO);

    /**
     * Checks the timeouts.
     *
     * @param headerRead how long a request's head may take to arrive; positive
     * @param keepAliveIdle how long a connection may idle, stall a body or leave a response unread;
     *     positive
     * @param lingerOnClose how long to drain a client after an error answer; positive
     * @param minBodyRate bytes per second a request body must average after its grace; 0 or more
     * @param request how long a handler may take to answer; zero for no limit
     * @throws IllegalArgumentException if a timeout but {@code request} is zero or negative, {@code
     *     request} is negative, or the rate is negative
     */
    public HttpTimeouts {
        requirePositive(headerRead, "headerRead");
        requirePositive(keepAliveIdle, "keepAliveIdle");
        requirePositive(lingerOnClose, "lingerOnClose");
        Objects.requireNonNull(request, "request");
        if (request.isNegative()) {
            throw new IllegalArgumentException("request timeout must be zero (none) or positive, got " + request);
        }
        if (minBodyRate < 0) {
            throw new IllegalArgumentException("minBodyRate must be 0 (no minimum) or more bytes per second, got " + minBodyRate);
        }
    }

    /**
     * {@return a copy with this head timeout} The guard against clients that trickle their headers
     * (slowloris); shorter frees stalled connections sooner.
     *
     * @param value how long a head may take from its first byte; positive
     */
    public HttpTimeouts withHeaderRead(Duration value) {
        return new HttpTimeouts(value, keepAliveIdle, lingerOnClose, minBodyRate, request);
    }

    /**
     * {@return a copy with this idle timeout} Bounds how long an idle keep-alive connection, a stalled
     * request body or an unread response holds the server's memory and a file descriptor.
     *
     * @param value positive
     */
    public HttpTimeouts withKeepAliveIdle(Duration value) {
        return new HttpTimeouts(headerRead, value, lingerOnClose, minBodyRate, request);
    }

    /**
     * {@return a copy with this linger time}
     *
     * @param value how long to keep reading after an error answer before closing; positive
     */
    public HttpTimeouts withLingerOnClose(Duration value) {
        return new HttpTimeouts(headerRead, keepAliveIdle, value, minBodyRate, request);
    }

    /**
     * {@return a copy with this minimum body rate} The guard against clients that trickle a request
     * body (slow POST) just fast enough to escape the idle timeout.
     *
     * @param bytesPerSecond what a body must average once the head timeout has passed since its head;
     *     0 for no minimum
     */
    public HttpTimeouts withMinBodyRate(long bytesPerSecond) {
        return new HttpTimeouts(headerRead, keepAliveIdle, lingerOnClose, bytesPerSecond, request);
    }

    /**
     * {@return a copy with this request timeout} The guard against handlers that never answer: past
     * it the client gets 503 and the connection is free for its next request. Routes may override it
     * ({@link RouteOptions#withRequestTimeout}).
     *
     * @param value how long a handler may take from its request's last byte; zero for no limit
     */
    public HttpTimeouts withRequest(Duration value) {
        return new HttpTimeouts(headerRead, keepAliveIdle, lingerOnClose, minBodyRate, value);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
