package io.katana.reactor;

import java.util.Objects;

/**
 * How a {@link ReactorGroup} listens. Immutable; derive variants with the {@code with} methods.
 *
 * <p>{@code reusePort} opens one listening socket per reactor with {@code SO_REUSEPORT} and lets the
 * kernel spread connections; without it one reactor accepts and hands connections round-robin to
 * the group. Options a backend cannot honour ({@code deferAcceptSeconds} off Linux epoll, say) are
 * hints it ignores.
 *
 * @param backlog the accept queue length asked of the kernel (capped by {@code somaxconn})
 * @param reuseAddress {@code SO_REUSEADDR}
 * @param reusePort {@code SO_REUSEPORT}, one listener per reactor
 * @param tcpNoDelay {@code TCP_NODELAY} on accepted connections
 * @param receiveBufferSize {@code SO_RCVBUF}, 0 for the system default
 * @param sendBufferSize {@code SO_SNDBUF}, 0 for the system default
 * @param deferAcceptSeconds {@code TCP_DEFER_ACCEPT}: wake the acceptor only once data arrived, 0 off
 * @param maxConnections connections open at once across the listener, beyond which new ones are
 *     refused (accepted and closed at once); 0 for no limit
 * @param waterMarks outbound queue thresholds of accepted connections
 */
public record ListenOptions(
        int backlog,
        boolean reuseAddress,
        boolean reusePort,
        boolean tcpNoDelay,
        int receiveBufferSize,
        int sendBufferSize,
        int deferAcceptSeconds,
        int maxConnections,
        WaterMarks waterMarks) {

    /** Backlog 4096, SO_REUSEADDR, TCP_NODELAY, one acceptor, no connection limit. */
    public static final ListenOptions DEFAULT =
            new ListenOptions(4096, true, false, true, 0, 0, 0, 0, WaterMarks.DEFAULT);

    /**
     * Checks the options.
     *
     * @param backlog the accept queue length, positive
     * @param reuseAddress {@code SO_REUSEADDR}
     * @param reusePort {@code SO_REUSEPORT}, one listener per reactor
     * @param tcpNoDelay {@code TCP_NODELAY} on accepted connections
     * @param receiveBufferSize {@code SO_RCVBUF}, 0 for the system default
     * @param sendBufferSize {@code SO_SNDBUF}, 0 for the system default
     * @param deferAcceptSeconds {@code TCP_DEFER_ACCEPT} seconds, 0 off
     * @param maxConnections the most connections open at once, 0 for no limit
     * @param waterMarks outbound queue thresholds of accepted connections
     * @throws IllegalArgumentException if a number is out of its range
     */
    public ListenOptions {
        if (backlog < 1) throw new IllegalArgumentException("backlog must be positive: " + backlog);
        if (receiveBufferSize < 0 || sendBufferSize < 0) {
            throw new IllegalArgumentException("socket buffer sizes must be 0 (system default) or positive");
        }
        if (deferAcceptSeconds < 0) throw new IllegalArgumentException("deferAcceptSeconds must be >= 0");
        if (maxConnections < 0) throw new IllegalArgumentException("maxConnections must be >= 0 (0: no limit)");
        Objects.requireNonNull(waterMarks, "waterMarks");
    }

    /**
     * {@return a copy with this accept backlog} Too short a backlog drops SYNs under a burst of new
     * connections; the kernel caps it at {@code net.core.somaxconn}.
     *
     * @param value the accept queue length, positive
     */
    public ListenOptions withBacklog(int value) {
        return new ListenOptions(value, reuseAddress, reusePort, tcpNoDelay, receiveBufferSize,
                sendBufferSize, deferAcceptSeconds, maxConnections, waterMarks);
    }

    /**
     * {@return a copy with this {@code SO_REUSEADDR} setting}
     *
     * @param value true to bind a port that still has connections in {@code TIME_WAIT}
     */
    public ListenOptions withReuseAddress(boolean value) {
        return new ListenOptions(backlog, value, reusePort, tcpNoDelay, receiveBufferSize,
                sendBufferSize, deferAcceptSeconds, maxConnections, waterMarks);
    }

    /**
     * {@return a copy with this {@code SO_REUSEPORT} setting}
     *
     * @param value true for one listening socket per reactor with the kernel spreading connections,
     *     false for one acceptor handing connections round-robin
     */
    public ListenOptions withReusePort(boolean value) {
        return new ListenOptions(backlog, reuseAddress, value, tcpNoDelay, receiveBufferSize,
                sendBufferSize, deferAcceptSeconds, maxConnections, waterMarks);
    }

    /**
     * {@return a copy with this {@code TCP_NODELAY} setting for accepted connections}
     *
     * @param value true to send small writes at once (Nagle's algorithm off)
     */
    public ListenOptions withTcpNoDelay(boolean value) {
        return new ListenOptions(backlog, reuseAddress, reusePort, value, receiveBufferSize,
                sendBufferSize, deferAcceptSeconds, maxConnections, waterMarks);
    }

    /**
     * {@return a copy with this receive buffer size for accepted connections}
     *
     * @param value {@code SO_RCVBUF} in bytes, 0 for the system default
     */
    public ListenOptions withReceiveBufferSize(int value) {
        return new ListenOptions(backlog, reuseAddress, reusePort, tcpNoDelay, value,
                sendBufferSize, deferAcceptSeconds, maxConnections, waterMarks);
    }

    /**
     * {@return a copy with this send buffer size for accepted connections}
     *
     * @param value {@code SO_SNDBUF} in bytes, 0 for the system default
     */
    public ListenOptions withSendBufferSize(int value) {
        return new ListenOptions(backlog, reuseAddress, reusePort, tcpNoDelay, receiveBufferSize,
                value, deferAcceptSeconds, maxConnections, waterMarks);
    }

    /**
     * {@return a copy with this {@code TCP_DEFER_ACCEPT} time} The kernel then wakes the acceptor only
     * once a connection has sent data, sparing the reactor idle connects; a hint off Linux epoll.
     *
     * @param value seconds to wait for the first data, 0 off
     */
    public ListenOptions withDeferAcceptSeconds(int value) {
        return new ListenOptions(backlog, reuseAddress, reusePort, tcpNoDelay, receiveBufferSize,
                sendBufferSize, value, maxConnections, waterMarks);
    }

    /**
     * {@return a copy with this connection limit} Past it new connections are accepted and closed at
     * once, which keeps the accept queue and file descriptors from running out under a flood.
     *
     * @param value the most connections open at once across the listener, 0 for no limit
     */
    public ListenOptions withMaxConnections(int value) {
        return new ListenOptions(backlog, reuseAddress, reusePort, tcpNoDelay, receiveBufferSize,
                sendBufferSize, deferAcceptSeconds, value, waterMarks);
    }

    /**
     * {@return a copy with these water marks for accepted connections}
     *
     * @param value the outbound queue thresholds that switch writability
     */
    public ListenOptions withWaterMarks(WaterMarks value) {
        return new ListenOptions(backlog, reuseAddress, reusePort, tcpNoDelay, receiveBufferSize,
                sendBufferSize, deferAcceptSeconds, maxConnections, value);
    }
}
