package io.katana.reactor.spi;

import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hashed timer wheel: a ring of slots, one per tick, each an intrusive doubly linked list of
 * timeouts. Adding and cancelling are O(1). The earliest deadline is cached as a lower bound and
 * recomputed only when the wheel passes it, so the loop never scans the wheel per iteration.
 *
 * <p>A timeout fires on the first {@link #expire} at or after its deadline, never before: its tick
 * is its deadline rounded up. Timeouts due in the same pass run in deadline order, ties in the order
 * they were added. A timeout whose tick is more than one revolution away sits in its slot
 * and is passed over until its own tick comes.
 *
 * <p><b>Threading:</b> loop only.
 */
public final class TimerWheel {
    private static final Logger LOG = LoggerFactory.getLogger(TimerWheel.class);

    private final long origin;
    private final long tickNanos;
    private final int mask;
    private final WheelTimeout[] slots;

    /** The last tick whose slot was processed. */
    private long currentTick;
    /** A lower bound on the smallest tick of any linked timeout; Long.MAX_VALUE when none. */
    private long earliestTick = Long.MAX_VALUE;
    private int size;
    /** Orders timeouts added with the same deadline. */
    private long sequence;
    /** Loop-only scratch: the timeouts due in one pass, sorted by deadline before they run. */
    private WheelTimeout[] due = new WheelTimeout[64];

    private static final Comparator<WheelTimeout> BY_DEADLINE = (a, b) -> {
        int order = Long.compare(a.deadlineNanos - b.deadlineNanos, 0);
        return order != 0 ? order : Long.compare(a.sequence, b.sequence);
    };

    /**
     * Creates an empty wheel.
     *
     * @param tickNanos the resolution: deadlines are rounded up to a multiple of it
     * @param slotCount slots in the ring, a power of two; slots times tick is one revolution
     * @param originNanos the {@link System#nanoTime()} that tick 0 starts at
     * @throws IllegalArgumentException if {@code slotCount} is not a power of two
     */
    public TimerWheel(long tickNanos, int slotCount, long originNanos) {
        if (Integer.bitCount(slotCount) != 1) {
            throw new IllegalArgumentException("slot count must be a power of two: " + slotCount);
        }
        this.origin = originNanos;
        this.tickNanos = tickNanos;
        this.mask = slotCount - 1;
        this.slots = new WheelTimeout[slotCount];
    }

    /**
     * {@return the timeouts on the wheel, including ones cancelled from other threads and not yet
     * dropped}
     */
    public int size() {
        return size;
    }

    void add(WheelTimeout timeout) {
        if (timeout.isCancelled()) {
            return;
        }
        long tick = Math.max(ceilTick(timeout.deadlineNanos), currentTick + 1);
        timeout.tick = tick;
        timeout.sequence = sequence++;
        int slot = (int) (tick & mask);
        WheelTimeout head = slots[slot];
        timeout.previous = null;
        timeout.next = head;
        if (head != null) {
            head.previous = timeout;
        }
        slots[slot] = timeout;
        timeout.linked = true;
        size++;
        if (tick < earliestTick) {
            earliestTick = tick;
        }
    }

    void unlink(WheelTimeout timeout) {
        if (!timeout.linked) {
            return;
        }
        if (timeout.previous != null) {
            timeout.previous.next = timeout.next;
        } else {
            slots[(int) (timeout.tick & mask)] = timeout.next;
        }
        if (timeout.next != null) {
            timeout.next.previous = timeout.previous;
        }
        timeout.previous = null;
        timeout.next = null;
        timeout.linked = false;
        size--;
    }

    /**
     * Nanoseconds from {@code now} until the earliest deadline (0 if due), or -1 when the wheel is
     * empty. Cheap: it reads the cached bound, which may be early but never late, so a loop that sleeps
     * this long never misses a timeout.
     *
     * @param now the current {@link System#nanoTime()}
     * @return nanoseconds to wait, 0 if a timeout is due, -1 if there is none
     */
    public long nanosUntilNextDeadline(long now) {
        if (size == 0) {
            return -1;
        }
        long due = origin + earliestTick * tickNanos;
        return Math.max(0, due - now);
    }

    /**
     * Runs every timeout whose deadline is at or before {@code now}. A task that throws is logged
     * and does not stop the others.
     *
     * @param now the current {@link System#nanoTime()}
     * @return how many tasks ran
     */
    public int expire(long now) {
        long nowTick = floorTick(now);
        if (nowTick <= currentTick || size == 0) {
            currentTick = Math.max(currentTick, nowTick);
            return 0;
        }
        long steps = Math.min(nowTick - currentTick, slots.length);
        long first = currentTick + 1;
        currentTick = nowTick; // timeouts added by tasks below land after this pass
        int dueCount = 0;
        for (long i = 0; i < steps; i++) {
            WheelTimeout node = slots[(int) ((first + i) & mask)];
            while (node != null) {
                WheelTimeout following = node.next;
                if (node.tick <= nowTick) {
                    unlink(node);
                    if (dueCount == due.length) {
                        due = Arrays.copyOf(due, dueCount * 2);
                    }
                    due[dueCount++] = node;
                }
                node = following;
            }
        }
        if (dueCount > 1) {
            Arrays.sort(due, 0, dueCount, BY_DEADLINE);
        }
        int ran = 0;
        for (int i = 0; i < dueCount; i++) {
            WheelTimeout node = due[i];
            due[i] = null;
            if (node.claimExpiry()) {
                ran++;
                try {
                    node.task.run();
                } catch (Throwable t) {
                    LOG.warn("scheduled task {} threw; the reactor goes on", node.task, t);
                }
            }
        }
        if (earliestTick <= currentTick) {
            earliestTick = findEarliestTick();
        }
        return ran;
    }

    /** Scans at most one revolution ahead; past that, the next revolution's start is a safe bound. */
    private long findEarliestTick() {
        if (size == 0) {
            return Long.MAX_VALUE;
        }
        for (long tick = currentTick + 1; tick <= currentTick + slots.length; tick++) {
            for (WheelTimeout node = slots[(int) (tick & mask)]; node != null; node = node.next) {
                if (node.tick == tick) {
                    return tick;
                }
            }
        }
        return currentTick + slots.length;
    }

    private long ceilTick(long deadlineNanos) {
        long sinceOrigin = deadlineNanos - origin;
        if (sinceOrigin <= 0) {
            return 0;
        }
        return (sinceOrigin + tickNanos - 1) / tickNanos;
    }

    private long floorTick(long nanos) {
        long sinceOrigin = nanos - origin;
        return sinceOrigin <= 0 ? 0 : sinceOrigin / tickNanos;
    }

    @Override
    public String toString() {
        return "TimerWheel[" + size + " timeouts, tick " + TimeUnit.NANOSECONDS.toMicros(tickNanos) + "µs]";
    }
}
