package io.katana.reactor.spi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A registry of a reactor's registrations keyed by token, for the word a poller or a completion
 * ring carries back to the backend (epoll's {@code data}, io_uring's {@code user_data}): each
 * registration gets a slot and the slot's current generation, packed as {@code generation << 32 |
 * slot}. Releasing a slot bumps its generation, so an event still queued for a closed registration
 * (same batch, or an fd number the kernel has already handed out again) carries a stale token and
 * finds nothing. State is never keyed by fd number.
 *
 * <p>Generations count modulo 2<sup>24</sup>, so a token uses its low 56 bits only: the top
 * {@value #TAG_BITS} bits are the backend's, to say which operation of a registration completed
 * (see {@link #TAG_SHIFT}); lookups ignore them.
 *
 * <p><b>Threading:</b> loop only.
 *
 * @param <T> what a registration leads to
 */
public final class SlotTable<T> {
    /** How many top bits of a token are free for the backend's own tag. */
    public static final int TAG_BITS = 8;
    /** Where the backend's tag starts in a token: {@code token | (long) tag << TAG_SHIFT}. */
    public static final int TAG_SHIFT = 64 - TAG_BITS;

    private static final int GENERATION_MASK = (1 << (32 - TAG_BITS)) - 1;

    private Object[] handlers;
    private int[] generations;
    private int[] free;
    private int freeCount;
    private int highWater;
    private int size;

    /**
     * Creates an empty table.
     *
     * @param initialCapacity slots to start with; the table doubles when they run out
     */
    public SlotTable(int initialCapacity) {
        int capacity = Math.max(4, initialCapacity);
        handlers = new Object[capacity];
        generations = new int[capacity];
        free = new int[capacity];
    }

    /**
     * Registers {@code handler}.
     *
     * @param handler what the token leads to
     * @return the token, its top {@value #TAG_BITS} bits zero
     */
    public long add(T handler) {
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

    /**
     * {@return the handler registered under {@code token}, or null if that registration was released}
     *
     * @param token a token from {@link #add}, tag bits ignored
     */
    @SuppressWarnings("unchecked")
    public T get(long token) {
        int slot = (int) token;
        if (slot < 0 || slot >= highWater || generations[slot] != generation(token)) {
            return null;
        }
        return (T) handlers[slot];
    }

    /**
     * Points a live token at another handler (a connect attempt becoming a connection).
     *
     * @param token a live token
     * @param handler what it leads to from now on
     * @throws IllegalStateException if the token was released
     */
    public void replace(long token, T handler) {
        if (get(token) == null) {
            throw new IllegalStateException("token " + Long.toHexString(token) + " is not registered");
        }
        handlers[(int) token] = handler;
    }

    /**
     * Releases {@code token}; later lookups of it find nothing. Releasing twice does nothing.
     *
     * @param token a token from {@link #add}, tag bits ignored
     */
    public void remove(long token) {
        if (get(token) == null) {
            return;
        }
        int slot = (int) token;
        handlers[slot] = null;
        generations[slot] = (generations[slot] + 1) & GENERATION_MASK;
        free[freeCount++] = slot;
        size--;
    }

    /** {@return the registrations currently held} */
    public int size() {
        return size;
    }

    /** {@return every handler still registered}, for release at termination. */
    @SuppressWarnings("unchecked")
    public List<T> snapshot() {
        List<T> live = new ArrayList<>(size);
        for (int slot = 0; slot < highWater; slot++) {
            if (handlers[slot] != null) {
                live.add((T) handlers[slot]);
            }
        }
        return live;
    }

    private static int generation(long token) {
        return (int) (token >>> 32) & GENERATION_MASK;
    }

    private static long token(int slot, int generation) {
        return ((long) generation << 32) | (slot & 0xffff_ffffL);
    }
}
