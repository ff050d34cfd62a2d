package io.katana.reactor;

/**
 * A task waiting on a reactor's timer wheel.
 *
 * <p><b>Threading:</b> any thread may cancel; the task itself runs on the reactor thread.
 */
public interface ScheduledTask {

    /**
     * Cancels the task if it has not run yet.
     *
     * @return true if this call prevented the task from running
     */
    boolean cancel();

    /** {@return whether the task was cancelled before it ran} */
    boolean isCancelled();

    /** {@return whether the task has run (or is running)} */
    boolean isExpired();
}
