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

    public ConnectOptions withTimeout(Duration value) {
        return new ConnectOptions(value, tcpNoDelay, receiveBufferSize, sendBufferSize, waterMarks);
    }

    public ConnectOptions withTcpNoDelay(boolean value) {
        return new ConnectOptions(timeout, value, receiveBufferSize, sendBufferSize, waterMarks);
    }

    public ConnectOptions withReceiveBufferSize(int value) {
        return new ConnectOptions(timeout, tcpNoDelay, value, sendBufferSize, waterMarks);
    }

    public ConnectOptions withSendBufferSize(int value) {
        return new ConnectOptions(timeout, tcpNoDelay, receiveBufferSize, value, waterMarks);
    }

    public ConnectOptions withWaterMarks(WaterMarks value) {
        return new ConnectOptions(timeout, tcpNoDelay, receiveBufferSize, sendBufferSize, value);
    }
}
