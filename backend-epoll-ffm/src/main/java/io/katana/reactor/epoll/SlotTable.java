package io.katana.reactor.epoll;

import java.util.Arrays;

/**
 * The registry behind epoll's {@code data} word: each registration gets a slot and the slot's
 * current generation, packed as {@code generation << 32 | slot}. Releasing a slot bumps its
 * generation, so an event still queued for a closed registration (same {@code epoll_wait} batch,
 * or an fd number the kernel has already handed out again) carries a stale token and finds nothing.
 * State is never keyed by fd number.
 *
 * <p><b>Threading:</b> loop only.
 */
final class SlotTable {
    private ReadinessHandler[] handlers;
    private int[] generations;
    private int[] free;
    private int freeCount;
    private int highWater;
    private int size;

    SlotTable(int initialCapacity) {
        int capacity = Math.max(4, initialCapacity);
        handlers = new ReadinessHandler[capacity];
        generations = new int[capacity];
        free = new int[capacity];
    }

    /** Registers {@code handler} and returns its token. */
    long add(ReadinessHandler handler) {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (highWater == handlers.length) {
                int capacity = handlers.length * 2;
                handlers = Arrays.copyOf(handlers, capacity);
                generations = Arrays.copyOf(generations, capacity);
                free = Arrays.copyOf(free, capacity);
            }
            slot = highWater++;
        }
        handlers[slot] = handler;
        size++;
        return token(slot, generations[slot]);
    }

    /** The handler registered under {@code token}, or null if that registration was released. */
    ReadinessHandler get(long token) {
        int slot = (int) token;
        if (slot < 0 || slot >= highWater || generations[slot] != (int) (token >>> 32)) {
            return null;
        }
        return handlers[slot];
    }

    /** Points a live token at another handler (a connect attempt becoming a connection). */
    void replace(long token, ReadinessHandler handler) {
        if (get(token) == null) {
            throw new IllegalStateException("token " + Long.toHexString(token) + " is not registered");
        }
        handlers[(int) token] = handler;
    }

    /** Releases {@code token}; later lookups of it find nothing. Releasing twice does nothing. */
    void remove(long token) {
        if (get(token) == null) {
            return;
        }
        int slot = (int) token;
        handlers[slot] = null;
        generations[slot]++;
        free[freeCount++] = slot;
        size--;
    }

    /** Registrations currently held. */
    int size() {
        return size;
    }

    /** Every handler still registered, for release at termination. */
    ReadinessHandler[] snapshot() {
        ReadinessHandler[] live = new ReadinessHandler[size];
        int n = 0;
        for (int slot = 0; slot < highWater; slot++) {
            if (handlers[slot] != null) {
                live[n++] = handlers[slot];
            }
        }
        return live;
    }

    private static long token(int slot, int generation) {
        return ((long) generation << 32) | (slot & 0xffff_ffffL);
    }
}
