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

    public ListenOptions {
        if (backlog < 1) throw new IllegalArgumentException("backlog must be positive: " + backlog);
        if (receiveBufferSize < 0 || sendBufferSize < 0) {
            throw new IllegalArgumentException("socket buffer sizes must be 0 (system default) or positive");
        }
        if (deferAcceptSeconds < 0) throw new IllegalArgumentException("deferAcceptSeconds must be >= 0");
        if (maxConnections < 0) throw new IllegalArgumentException("maxConnections must be >= 0 (0: no limit)");
        Objects.requireNonNull(waterMarks, "waterMarks");
    }

    public ListenOptions withBacklog(int value) {
        return new ListenOptions(value, reuseAddress, reusePort, tcpNoDelay, receiveBufferSize,
                sendBufferSize, deferAcceptSeconds, maxConnections, waterMarks);
    }

    public ListenOptions withReuseAddress(boolean value) {
        return new ListenOptions(backlog, value, reusePort, tcpNoDelay, receiveBufferSize,
                sendBufferSize, deferAcceptSeconds, maxConnections, waterMarks);
    }

    public ListenOptions withReusePort(boolean value) {
        return new ListenOptions(backlog, reuseAddress, value, tcpNoDelay, receiveBufferSize,
                sendBufferSize, deferAcceptSeconds, maxConnections, waterMarks);
    }

    public ListenOptions withTcpNoDelay(boolean value) {
        return new ListenOptions(backlog, reuseAddress, reusePort, value, receiveBufferSize,
                sendBufferSize, deferAcceptSeconds, maxConnections, waterMarks);
    }

    public ListenOptions withReceiveBufferSize(int value) {
        return new ListenOptions(backlog, reuseAddress, reusePort, tcpNoDelay, value,
                sendBufferSize, deferAcceptSeconds, maxConnections, waterMarks);
    }

    public ListenOptions withSendBufferSize(int value) {
        return new ListenOptions(backlog, reuseAddress, reusePort, tcpNoDelay, receiveBufferSize,
                value, deferAcceptSeconds, maxConnections, waterMarks);
    }

    public ListenOptions withDeferAcceptSeconds(int value) {
        return new ListenOptions(backlog, reuseAddress, reusePort, tcpNoDelay, receiveBufferSize,
                sendBufferSize, value, maxConnections, waterMarks);
    }

    public ListenOptions withMaxConnections(int value) {
        return new ListenOptions(backlog, reuseAddress, reusePort, tcpNoDelay, receiveBufferSize,
                sendBufferSize, deferAcceptSeconds, value, waterMarks);
    }

    public ListenOptions withWaterMarks(WaterMarks value) {
        return new ListenOptions(backlog, reuseAddress, reusePort, tcpNoDelay, receiveBufferSize,
                sendBufferSize, deferAcceptSeconds, maxConnections, value);
    }
}
