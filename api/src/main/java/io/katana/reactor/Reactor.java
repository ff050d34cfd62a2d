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

    /** This reactor's name, also the name of its thread. */
    String name();

    /** The group this reactor belongs to. */
    ReactorGroup group();

    /** Whether the calling thread is this reactor's thread. */
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
     * one timer tick ({@link ReactorConfig#timerTick()}).
     *
     * @return a handle that cancels the task in constant time
     */
    ScheduledTask schedule(long delay, TimeUnit unit, Runnable task);

    /** A snapshot of this reactor's counters; any thread. */
    ReactorStats stats();

    /**
     * Counts {@code count} requests answered on this reactor, for {@link #stats()}. Protocol layers
     * call it; it must be called on this reactor's thread, where it is a plain increment.
     */
    void recordRequests(int count);

    /** {@link #schedule(long, TimeUnit, Runnable)} with a {@link Duration}. */
    default ScheduledTask schedule(Duration delay, Runnable task) {
        return schedule(delay.toNanos(), TimeUnit.NANOSECONDS, task);
    }
}
