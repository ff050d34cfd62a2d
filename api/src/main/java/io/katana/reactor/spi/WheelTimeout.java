package io.katana.reactor.spi;

import io.katana.reactor.ScheduledTask;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One task on a {@link TimerWheel}: an intrusive list node, so adding and cancelling allocate
 * nothing beyond this object.
 *
 * <p><b>Threading:</b> {@link #cancel()} and the queries from any thread (the state changes with
 * one compare-and-set, so a task runs or is cancelled, never both); the links are loop only.
 */
final class WheelTimeout implements ScheduledTask {
    static final int PENDING = 0;
    static final int CANCELLED = 1;
    static final int EXPIRED = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WheelTimeout.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final EventLoop loop;
    final Runnable task;
    final long deadlineNanos;

    // Loop only: position on the wheel.
    long tick;
    long sequence;
    WheelTimeout previous;
    WheelTimeout next;
    boolean linked;

    private volatile int state;

    WheelTimeout(EventLoop loop, Runnable task, long deadlineNanos) {
        this.loop = loop;
        this.task = task;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public boolean cancel() {
        if (!STATE.compareAndSet(this, PENDING, CANCELLED)) {
            return false;
        }
        if (loop.inEventLoop()) {
            loop.timers().unlink(this);
        }
        // Off the loop the node stays linked until its tick comes; the wheel then drops it unrun.
        return true;
    }

    /** Loop only: claims the right to run; false when cancelled first. */
    boolean claimExpiry() {
        return STATE.compareAndSet(this, PENDING, EXPIRED);
    }

    @Override
    public boolean isCancelled() {
        return state == CANCELLED;
    }

    @Override
    public boolean isExpired() {
        return state == EXPIRED;
    }

    @Override
    public String toString() {
        return "ScheduledTask[" + (state == PENDING ? "pending" : state == CANCELLED ? "cancelled" : "expired")
                + ", deadline=" + deadlineNanos + "ns]";
    }
}
