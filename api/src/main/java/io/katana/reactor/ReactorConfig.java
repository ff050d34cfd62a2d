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
 * @param maxKeptInputBytes the most input a connection may keep unconsumed between reads; beyond it
 *     the connection closes with a {@link KeptInputLimitException}
 */
public record ReactorConfig(
        int threads,
        String threadNamePrefix,
        int readBufferSize,
        int outboundChunkSize,
        int maxPooledChunks,
        Duration timerTick,
        int timerWheelSlots,
        int maxEventsPerPoll,
        int maxKeptInputBytes) {

    /**
     * Checks the configuration.
     *
     * @param threads reactors in the group, at least 1
     * @param threadNamePrefix reactor threads are named prefix + index
     * @param readBufferSize bytes of the per-reactor read buffer, at least 1024
     * @param outboundChunkSize bytes of each pooled outbound chunk, at least 256
     * @param maxPooledChunks chunks each reactor keeps for reuse, 0 or more
     * @param timerTick the timer wheel's resolution, at least 100 µs
     * @param timerWheelSlots slots of the timer wheel, a power of two of at least 2
     * @param maxEventsPerPoll readiness events one poll may return, at least 1
     * @param maxKeptInputBytes unconsumed input a connection may keep, at least 1024
     * @throws IllegalArgumentException if a value is out of its range
     */
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
        if (maxKeptInputBytes < 1024) {
            throw new IllegalArgumentException("maxKeptInputBytes must be at least 1024, got " + maxKeptInputBytes);
        }
    }

    /**
     * {@return one reactor per available processor, 64 KiB reads, 16 KiB chunks (256 pooled), a 1 ms x
     * 4096 timer wheel, 512 events per poll and at most 4 MiB of kept input per connection}
     */
    public static ReactorConfig defaults() {
        return new ReactorConfig(Runtime.getRuntime().availableProcessors(), "katana-reactor-",
                64 * 1024, 16 * 1024, 256, Duration.ofMillis(1), 4096, 512, 4 * 1024 * 1024);
    }

    /**
     * {@return a copy with this many reactors} One per core suits a server that does its work on the
     * reactor threads; fewer leave cores to application threads.
     *
     * @param value reactors, each with its own thread, at least 1
     */
    public ReactorConfig withThreads(int value) {
        return new ReactorConfig(value, threadNamePrefix, readBufferSize, outboundChunkSize,
                maxPooledChunks, timerTick, timerWheelSlots, maxEventsPerPoll, maxKeptInputBytes);
    }

    /**
     * {@return a copy whose reactor threads are named {@code value} + index}
     *
     * @param value the prefix, shown in thread dumps, logs and JFR events
     */
    public ReactorConfig withThreadNamePrefix(String value) {
        return new ReactorConfig(threads, value, readBufferSize, outboundChunkSize,
                maxPooledChunks, timerTick, timerWheelSlots, maxEventsPerPoll, maxKeptInputBytes);
    }

    /**
     * {@return a copy with this read buffer size} Larger buffers mean fewer reads per request burst;
     * the buffer is per reactor, not per connection.
     *
     * @param value bytes, at least 1024
     */
    public ReactorConfig withReadBufferSize(int value) {
        return new ReactorConfig(threads, threadNamePrefix, value, outboundChunkSize,
                maxPooledChunks, timerTick, timerWheelSlots, maxEventsPerPoll, maxKeptInputBytes);
    }

    /**
     * {@return a copy with this outbound chunk size}
     *
     * @param value bytes of each off-heap chunk an outbound queue is built of, at least 256
     */
    public ReactorConfig withOutboundChunkSize(int value) {
        return new ReactorConfig(threads, threadNamePrefix, readBufferSize, value,
                maxPooledChunks, timerTick, timerWheelSlots, maxEventsPerPoll, maxKeptInputBytes);
    }

    /**
     * {@return a copy that keeps at most this many free chunks per reactor} More chunks spare
     * allocations under bursts at the cost of resident off-heap memory.
     *
     * @param value chunks kept for reuse, 0 to free every chunk once drained
     */
    public ReactorConfig withMaxPooledChunks(int value) {
        return new ReactorConfig(threads, threadNamePrefix, readBufferSize, outboundChunkSize,
                value, timerTick, timerWheelSlots, maxEventsPerPoll, maxKeptInputBytes);
    }

    /**
     * {@return a copy with this timer resolution} Timers fire on the first tick at or after their
     * deadline, so the tick bounds their lateness.
     *
     * @param value the tick, at least 100 µs
     */
    public ReactorConfig withTimerTick(Duration value) {
        return new ReactorConfig(threads, threadNamePrefix, readBufferSize, outboundChunkSize,
                maxPooledChunks, value, timerWheelSlots, maxEventsPerPoll, maxKeptInputBytes);
    }

    /**
     * {@return a copy with this many timer wheel slots} Slots times tick is one revolution; timers
     * further out are passed over until their turn, so size it to cover the usual timeouts.
     *
     * @param value a power of two, at least 2
     */
    public ReactorConfig withTimerWheelSlots(int value) {
        return new ReactorConfig(threads, threadNamePrefix, readBufferSize, outboundChunkSize,
                maxPooledChunks, timerTick, value, maxEventsPerPoll, maxKeptInputBytes);
    }

    /**
     * {@return a copy that takes at most this many readiness events per poll}
     *
     * @param value events per poll, at least 1; more events per call means fewer calls under load
     */
    public ReactorConfig withMaxEventsPerPoll(int value) {
        return new ReactorConfig(threads, threadNamePrefix, readBufferSize, outboundChunkSize,
                maxPooledChunks, timerTick, timerWheelSlots, value, maxKeptInputBytes);
    }

    /**
     * {@return a copy that lets a connection keep at most this much unconsumed input} A handler that
     * waits for a whole frame keeps its start; a frame larger than this closes the connection with a
     * {@link KeptInputLimitException} instead of growing its buffer without bound.
     *
     * @param value bytes, at least 1024; the default is 4 MiB
     */
    public ReactorConfig withMaxKeptInputBytes(int value) {
        return new ReactorConfig(threads, threadNamePrefix, readBufferSize, outboundChunkSize,
                maxPooledChunks, timerTick, timerWheelSlots, maxEventsPerPoll, value);
    }
}
