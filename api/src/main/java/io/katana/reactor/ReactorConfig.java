package io.katana.reactor;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ReactorGroup} is built. Immutable; derive variants with the {@code with} methods.
 *
 * @param threads reactors in the group, one thread each
 * @param threadNamePrefix reactor threads are named prefix + index
 * @param readBufferSize bytes of the per-reactor read buffer, the most one read returns
 * @param outboundChunkSize bytes of each pooled off-heap chunk that outbound queues are built of
 * @param maxPooledChunks chunks each reactor keeps for reuse; beyond them chunks are freed
 * @param timerTick the timer wheel's resolution
 * @param timerWheelSlots slots of the timer wheel (a power of two)
 * @param maxEventsPerPoll readiness events one poll may return
 */
public record ReactorConfig(
        int threads,
        String threadNamePrefix,
        int readBufferSize,
        int outboundChunkSize,
        int maxPooledChunks,
        Duration timerTick,
        int timerWheelSlots,
        int maxEventsPerPoll) {

    public ReactorConfig {
        Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
        Objects.requireNonNull(timerTick, "timerTick");
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        if (readBufferSize < 1024) throw new IllegalArgumentException("readBufferSize must be at least 1024");
        if (outboundChunkSize < 256) throw new IllegalArgumentException("outboundChunkSize must be at least 256");
        if (maxPooledChunks < 0) throw new IllegalArgumentException("maxPooledChunks must be >= 0");
        if (timerTick.toNanos() < 100_000) throw new IllegalArgumentException("timerTick must be at least 100 µs");
        if (timerWheelSlots < 2 || Integer.bitCount(timerWheelSlots) != 1) {
            throw new IllegalArgumentException("timerWheelSlots must be a power of two >= 2, got " + timerWheelSlots);
        }
        if (maxEventsPerPoll < 1) throw new IllegalArgumentException("maxEventsPerPoll must be positive");
    }

    /** One reactor per available processor, 64 KiB reads, 16 KiB chunks, a 1 ms x 4096 wheel. */
    public static ReactorConfig defaults() {
        return new ReactorConfig(Runtime.getRuntime().availableProcessors(), "katana-reactor-",
                64 * 1024, 16 * 1024, 256, Duration.ofMillis(1), 4096, 512);
    }

    public ReactorConfig withThreads(int value) {
        return new ReactorConfig(value, threadNamePrefix, readBufferSize, outboundChunkSize,
                maxPooledChunks, timerTick, timerWheelSlots, maxEventsPerPoll);
    }

    public ReactorConfig withThreadNamePrefix(String value) {
        return new ReactorConfig(threads, value, readBufferSize, outboundChunkSize,
                maxPooledChunks, timerTick, timerWheelSlots, maxEventsPerPoll);
    }

    public ReactorConfig withReadBufferSize(int value) {
        return new ReactorConfig(threads, threadNamePrefix, value, outboundChunkSize,
                maxPooledChunks, timerTick, timerWheelSlots, maxEventsPerPoll);
    }

    public ReactorConfig withOutboundChunkSize(int value) {
        return new ReactorConfig(threads, threadNamePrefix, readBufferSize, value,
                maxPooledChunks, timerTick, timerWheelSlots, maxEventsPerPoll);
    }

    public ReactorConfig withMaxPooledChunks(int value) {
        return new ReactorConfig(threads, threadNamePrefix, readBufferSize, outboundChunkSize,
                value, timerTick, timerWheelSlots, maxEventsPerPoll);
    }

    public ReactorConfig withTimerTick(Duration value) {
        return new ReactorConfig(threads, threadNamePrefix, readBufferSize, outboundChunkSize,
                maxPooledChunks, value, timerWheelSlots, maxEventsPerPoll);
    }

    public ReactorConfig withTimerWheelSlots(int value) {
        return new ReactorConfig(threads, threadNamePrefix, readBufferSize, outboundChunkSize,
                maxPooledChunks, timerTick, value, maxEventsPerPoll);
    }

    public ReactorConfig withMaxEventsPerPoll(int value) {
        return new ReactorConfig(threads, threadNamePrefix, readBufferSize, outboundChunkSize,
                maxPooledChunks, timerTick, timerWheelSlots, value);
    }
}
