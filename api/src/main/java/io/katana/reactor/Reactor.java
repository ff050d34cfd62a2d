package io.katana.reactor;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One event loop running on one thread: it polls its sockets, runs the tasks handed to it and fires
 * its timers.
 *
 * <p><b>Threading:</b> {@link #execute} and {@link #schedule} may be called from any thread; tasks
 * and timer actions always run on the reactor's own thread, in submission order for tasks submitted
 * by one thread. A sleeping reactor is woken only when a task arrives from another thread.
 */
public interface Reactor extends Executor {

    /** {@return this reactor's name, also the name of its thread} */
    String name();

    /** {@return the group this reactor belongs to} */
    ReactorGroup group();

    /**
     * {@return whether the calling thread is this reactor's thread} Code that touches a connection's
     * state directly checks this first and otherwise hands the work over with {@link #execute}.
     */
    boolean inEventLoop();

    /**
     * Runs {@code task} on the reactor thread. Tasks from one thread run in the order they were
     * submitted. After shutdown the task is rejected with {@link
     * java.util.concurrent.RejectedExecutionException}.
     */
    @Override
    void execute(Runnable task);

    /**
     * Runs {@code task} on the reactor thread once {@code delay} has passed, with the accuracy of
     * one timer tick ({@link ReactorConfig#timerTick()}). May be called from any thread.
     *
     * @param delay how long to wait; 0 or less runs the task at the next tick
     * @param unit the unit of {@code delay}
     * @param task the action, run on this reactor's thread; it must not block
     * @return a handle that cancels the task in constant time
     */
    ScheduledTask schedule(long delay, TimeUnit unit, Runnable task);

    /**
     * {@return a snapshot of this reactor's counters} Any thread may call it; off the reactor thread the
     * figures may be a moment stale.
     */
    ReactorStats stats();

    /**
     * Counts {@code count} requests answered on this reactor, for {@link #stats()}. Protocol layers
     * call it; it must be called on this reactor's thread, where it is a plain increment.
     *
     * @param count requests completed since the last call
     */
    void recordRequests(int count);

    /**
     * {@return this reactor's value of {@code key}, made by its initial supplier on first use} See
     * {@link ReactorLocal}. Must be called on this reactor's thread. The default keeps the values in a
     * locked weak map, for reactors that are decorators or stubs; the SPI's {@code EventLoop} keeps
     * them in an array.
     *
     * @param key the reactor-local key
     * @param <T> the type of the value
     * @throws IllegalStateException if called off this reactor's thread
     */
    default <T> T local(ReactorLocal<T> key) {
        if (!inEventLoop()) {
            throw new IllegalStateException("ReactorLocal values of " + name() + " are read on its own thread only");
        }
        return key.fallbackValue(this);
    }

    /**
     * {@link #schedule(long, TimeUnit, Runnable)} with a {@link Duration}.
     *
     * @param delay how long to wait
     * @param task the action, run on this reactor's thread
     * @return a handle that cancels the task
     */
    default ScheduledTask schedule(Duration delay, Runnable task) {
        return schedule(delay.toNanos(), TimeUnit.NANOSECONDS, task);
    }
}
