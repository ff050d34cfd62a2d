package io.katana.http.internal;

import io.katana.reactor.Connection;
import io.katana.reactor.ScheduledTask;
import java.util.concurrent.TimeUnit;

/**
 * The one deadline of an HTTP connection and the at most one reactor timer that watches it.
 *
 * <p>Moving the deadline later never touches the timer: a keep-alive request only stores a new time,
 * and a timer that fires early re-arms itself for the rest. Only a deadline earlier than the armed
 * timer cancels and re-schedules it. When the deadline passes, {@link
 * HttpConnection#deadlinePassed} decides what it means.
 *
 * <p><b>Threading:</b> confined to the connection's reactor thread.
 */
final class ConnectionDeadline {

    private final HttpConnection owner;
    private final Runnable timerAction = this::onTimer;
    private Connection connection;
    private ScheduledTask timer;
    private long timerDue;
    private long deadline;
    private Deadline kind = Deadline.NONE;
    private boolean stopped;

    ConnectionDeadline(HttpConnection owner) {
        this.owner = owner;
    }

    void open(Connection opened) {
        connection = opened;
    }

    Deadline kind() {
        return kind;
    }

    /** Sets the deadline to {@code at} (a {@link System#nanoTime()} value), arming a timer if none fires sooner. */
    void set(Deadline what, long at, long now) {
        kind = what;
        deadline = at;
        if (stopped || what == Deadline.NONE) {
            return;
        }
        if (timer != null && timerDue - at <= 0) {
            return; // the armed timer fires first and re-arms for what is left
        }
        if (timer != null) {
            timer.cancel();
        }
        timerDue = at;
        timer = connection.reactor().schedule(Math.max(0, at - now), TimeUnit.NANOSECONDS, timerAction);
    }

    /** No deadline for now; an armed timer stays and finds nothing to do. */
    void clear() {
        kind = Deadline.NONE;
    }

    /** The connection closed: cancels the timer for good. */
    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void onTimer() {
        timer = null;
        if (stopped || kind == Deadline.NONE) {
            return;
        }
        long now = System.nanoTime();
        if (now - deadline < 0) {
            set(kind, deadline, now);
            return;
        }
        owner.deadlinePassed(kind, now);
    }
}
