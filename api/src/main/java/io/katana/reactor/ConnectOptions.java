package io.katana.reactor;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ReactorGroup} connects. Immutable; derive variants with the {@code with} methods.
 *
 * @param timeout how long a connect may take before it fails with {@link
 *     java.net.SocketTimeoutException}
 * @param tcpNoDelay {@code TCP_NODELAY}
 * @param receiveBufferSize {@code SO_RCVBUF}, 0 for the system default
 * @param sendBufferSize {@code SO_SNDBUF}, 0 for the system default
 * @param waterMarks outbound queue thresholds
 */
public record ConnectOptions(
        Duration timeout, boolean tcpNoDelay, int receiveBufferSize, int sendBufferSize, WaterMarks waterMarks) {

    /** 30 second timeout, TCP_NODELAY, default buffers and water marks. */
    public static final ConnectOptions DEFAULT =
            new ConnectOptions(Duration.ofSeconds(30), true, 0, 0, WaterMarks.DEFAULT);

    /**
     * Checks the options.
     *
     * @throws IllegalArgumentException if the timeout is not positive or a buffer size is negative
     */
    public ConnectOptions {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(waterMarks, "waterMarks");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive: " + timeout);
        }
        if (receiveBufferSize < 0 || sendBufferSize < 0) {
            throw new IllegalArgumentException("socket buffer sizes must be 0 (system default) or positive");
        }
    }

    /**
     * {@return a copy with this timeout}
     *
     * @param value how long a connect may take; must be positive
     */
    public ConnectOptions withTimeout(Duration value) {
        return new ConnectOptions(value, tcpNoDelay, receiveBufferSize, sendBufferSize, waterMarks);
    }

    /**
     * {@return a copy with this {@code TCP_NODELAY} setting}
     *
     * @param value true to send small writes at once (Nagle's algorithm off)
     */
    public ConnectOptions withTcpNoDelay(boolean value) {
        return new ConnectOptions(timeout, value, receiveBufferSize, sendBufferSize, waterMarks);
    }

    /**
     * {@return a copy with this receive buffer size}
     *
     * @param value {@code SO_RCVBUF} in bytes, 0 for the system default
     */
    public ConnectOptions withReceiveBufferSize(int value) {
        return new ConnectOptions(timeout, tcpNoDelay, value, sendBufferSize, waterMarks);
    }

    /**
     * {@return a copy with this send buffer size}
     *
     * @param value {@code SO_SNDBUF} in bytes, 0 for the system default
     */
    public ConnectOptions withSendBufferSize(int value) {
        return new ConnectOptions(timeout, tcpNoDelay, receiveBufferSize, value, waterMarks);
    }

    /**
     * {@return a copy with these water marks}
     *
     * @param value the outbound queue thresholds that switch writability
     */
    public ConnectOptions withWaterMarks(WaterMarks value) {
        return new ConnectOptions(timeout, tcpNoDelay, receiveBufferSize, sendBufferSize, value);
    }
}
