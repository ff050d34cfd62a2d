package io.katana.reactor.epoll;

import java.util.function.BooleanSupplier;

/**
 * Whether, and how long, a busy reactor spins before it blocks in {@code epoll_wait}.
 *
 * <p>Under keep-alive load a reactor that serves faster than its clients write finds only one or two
 * requests per {@code epoll_wait}: it answers them, sleeps, and is woken for the next one to arrive.
 * Each round costs a system call and a sleep and wake-up (an inter-processor wake-up when the client
 * runs on another core). Its clients are the connections it has just answered, so a short spin lets
 * several of their next requests arrive, and one {@code epoll_wait} then collects them all, usually
 * without sleeping; NIC interrupt moderation trades the same few microseconds for the same reason.
 *
 * <p>The spin is bounded. It happens only while the loop is saturated: the previous blocking wait
 * returned events without sleeping for as long as the longest spin (polls that do not block, made
 * while reads are still owed, leave that judgement as it was). It ends early when a task arrives
 * from another thread or a timer falls due. It never exceeds
 * {@value #DEFAULT_MAX_SPIN_MICROS} µs (or {@code -D}{@value #PROPERTY}; 0 turns it off). And it is
 * {@value #SPIN_NANOS_PER_OPEN_CONNECTION} ns per open connection below that, because with few
 * connections each one waits for its answer before it sends again: a spin that outlasts the time to
 * serve them all only idles the clients, so a handful of connections gets a spin of a few hundred
 * nanoseconds, 256 connections the whole bound.
 *
 * <p><b>Threading:</b> loop only.
 */
final class SleepCoalescing {
    /** The system property with the longest spin in microseconds; 0 disables spinning. */
    static final String PROPERTY = "katana.epoll.spinMicros";
    static final long DEFAULT_MAX_SPIN_MICROS = 25;
    /** About 1 % of what serving one keep-alive request costs the loop (8-10 µs on loopback). */
    static final long SPIN_NANOS_PER_OPEN_CONNECTION = 100;

    private final long maxSpinNanos;
    private boolean saturated;

    /** @param maxSpinNanos the longest spin, 0 for none, as {@link #configuredMaxSpinNanos()} checked it */
    SleepCoalescing(long maxSpinNanos) {
        this.maxSpinNanos = maxSpinNanos;
    }

    /** The longest spin asked for with {@value #PROPERTY}, in nanoseconds; {@value #DEFAULT_MAX_SPIN_MICROS} µs when unset. */
    static long configuredMaxSpinNanos() {
        String value = System.getProperty(PROPERTY, Long.toString(DEFAULT_MAX_SPIN_MICROS)).trim();
        long micros;
        try {
            micros = Long.parseLong(value);
        } catch (NumberFormatException e) {
            micros = -1;
        }
        if (micros < 0 || micros > 1_000_000) {
            throw new IllegalArgumentException(
                    "-D" + PROPERTY + "=" + value + " is not a spin time; use microseconds from 0 (off) to 1000000");
        }
        return micros * 1_000;
    }

    /** How long to spin before a blocking wait with {@code openConnections} open: 0 unless saturated. */
    long spinNanos(int openConnections) {
        return saturated ? Math.min(maxSpinNanos, openConnections * SPIN_NANOS_PER_OPEN_CONNECTION) : 0;
    }

    /**
     * Spins for {@link #spinNanos(int)}, but no longer than {@code timeoutNanos} when that is positive
     * (a timer is due) and not once {@code stop} says so (a task came); makes no system call.
     *
     * @return the nanoseconds spent
     */
    long spinBeforeBlocking(int openConnections, long timeoutNanos, BooleanSupplier stop) {
        long spin = spinNanos(openConnections);
        if (timeoutNanos > 0) {
            spin = Math.min(spin, timeoutNanos);
        }
        if (spin == 0) {
            return 0;
        }
        long started = System.nanoTime();
        long now = started;
        while (now - started < spin && !stop.getAsBoolean()) {
            Thread.onSpinWait();
            now = System.nanoTime();
        }
        return now - started;
    }

    /** Records a wait's outcome: {@code ready} events after {@code waitedNanos} in {@code epoll_wait}. */
    void waited(int ready, long waitedNanos) {
        saturated = ready > 0 && waitedNanos < maxSpinNanos;
    }
}
