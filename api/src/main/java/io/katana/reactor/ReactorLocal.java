package io.katana.reactor;

import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A value per {@link Reactor}: state shared by the connections of one reactor (an encoder, a date
 * header cache, a scratch buffer) without a {@link ThreadLocal}, made on first use on each reactor.
 *
 * <pre>{@code
 * static final ReactorLocal<ResponseEncoder> ENCODER = ReactorLocal.withInitial(ResponseEncoder::new);
 * ...
 * public void onRead(Connection connection, ByteBuffer data) {
 *     ResponseEncoder encoder = ENCODER.get(connection);   // this reactor's own, no locking
 * }
 * }</pre>
 *
 * <p>A reactor keeps its values in an array indexed by the key, so {@link #get} costs an array read
 * after the first call. Keep keys in {@code static final} fields: every key made takes a slot in
 * every reactor for the life of the process.
 *
 * <p><b>Threading:</b> {@link #get} only on the reactor's own thread (from a callback, a task or a
 * timer of that reactor); the value is then confined to that thread like any reactor state.
 *
 * @param <T> the type of the value
 */
public final class ReactorLocal<T> {
    private static final AtomicInteger NEXT_INDEX = new AtomicInteger();

    private final int index = NEXT_INDEX.getAndIncrement();
    private final Supplier<? extends T> initial;
    // Only for Reactor implementations that keep no array of their own (decorators, stubs).
    private final Map<Reactor, Object> fallback = new WeakHashMap<>();

    private ReactorLocal(Supplier<? extends T> initial) {
        this.initial = initial;
    }

    /**
     * {@return a new key whose value on each reactor is made by {@code initial} on first use there}
     *
     * @param initial called once per reactor, on that reactor's thread; must not return null
     * @param <T> the type of the value
     */
    public static <T> ReactorLocal<T> withInitial(Supplier<? extends T> initial) {
        return new ReactorLocal<>(Objects.requireNonNull(initial, "initial"));
    }

    /**
     * {@return {@code reactor}'s value, made on first use}
     *
     * @param reactor the reactor whose value is wanted; the caller must be on its thread
     * @throws IllegalStateException if called off {@code reactor}'s thread
     */
    public T get(Reactor reactor) {
        return reactor.local(this);
    }

    /**
     * {@return the value of the reactor that owns {@code connection}} Shorthand for {@code
     * get(connection.reactor())}.
     *
     * @param connection a connection whose reactor thread is the caller's
     * @throws IllegalStateException if called off the connection's reactor thread
     */
    public T get(Connection connection) {
        return connection.reactor().local(this);
    }

    /**
     * {@return the index of this key, unique in the process} For {@link Reactor} implementations that
     * keep their values in an array.
     */
    public int index() {
        return index;
    }

    /**
     * {@return a new initial value} For {@link Reactor} implementations, which call it once, on first
     * use, on the reactor's thread.
     *
     * @throws NullPointerException if the supplier returned null
     */
    public T initialValue() {
        return Objects.requireNonNull(initial.get(), "a ReactorLocal's initial supplier returned null");
    }

    /** The value for a reactor that keeps no array: a weak map, locked; correct, not fast. */
    @SuppressWarnings("unchecked")
    T fallbackValue(Reactor reactor) {
        synchronized (fallback) {
            return (T) fallback.computeIfAbsent(reactor, r -> initialValue());
        }
    }

    @Override
    public String toString() {
        return "ReactorLocal#" + index;
    }
}
