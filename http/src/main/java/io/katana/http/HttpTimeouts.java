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
 */
public record HttpTimeouts(Duration headerRead, Duration keepAliveIdle, Duration lingerOnClose) {

    /** 10 s to send a head, 60 s idle between requests, 2 s of lingering after an error. */
    public static final HttpTimeouts DEFAULT =
            new HttpTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(2));

    /**
     * Checks the timeouts.
     *
     * @param headerRead how long a request's head may take to arrive; positive
     * @param keepAliveIdle how long a connection may idle, stall a body or leave a response unread;
     *     positive
     * @param lingerOnClose how long to drain a client after an error answer; positive
     * @throws IllegalArgumentException if a timeout is zero or negative
     */
    public HttpTimeouts {
        requirePositive(headerRead, "headerRead");
        requirePositive(keepAliveIdle, "keepAliveIdle");
        requirePositive(lingerOnClose, "lingerOnClose");
    }

    /**
     * {@return a copy with this head timeout} The guard against clients that trickle their headers
     * (slowloris); shorter frees stalled connections sooner.
     *
     * @param value how long a head may take from its first byte; positive
     */
    public HttpTimeouts withHeaderRead(Duration value) {
        return new HttpTimeouts(value, keepAliveIdle, lingerOnClose);
    }

    /**
     * {@return a copy with this idle timeout} Bounds how long an idle keep-alive connection, a stalled
     * request body or an unread response holds the server's memory and a file descriptor.
     *
     * @param value positive
     */
    public HttpTimeouts withKeepAliveIdle(Duration value) {
        return new HttpTimeouts(headerRead, value, lingerOnClose);
    }

    /**
     * {@return a copy with this linger time}
     *
     * @param value how long to keep reading after an error answer before closing; positive
     */
    public HttpTimeouts withLingerOnClose(Duration value) {
        return new HttpTimeouts(headerRead, keepAliveIdle, value);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
