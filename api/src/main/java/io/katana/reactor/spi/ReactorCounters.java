package io.katana.reactor.spi;

import io.katana.reactor.ReactorStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One reactor's counters. Each has a single writer, the reactor thread, which adds with a plain read
 * and an opaque write: no atomic instruction and no fence on the hot path. Readers on other threads
 * use opaque reads, which see every counter whole and never going backwards.
 *
 * <p><b>Threading:</b> the {@code add}/{@code count} methods loop only; {@link #snapshot()} any thread.
 */
public final class ReactorCounters {
    private static final VarHandle ACCEPTED;
    private static final VarHandle CONNECTED;
    private static final VarHandle CLOSED;
    private static final VarHandle BYTES_READ;
    private static final VarHandle BYTES_WRITTEN;
    private static final VarHandle REQUESTS;
    private static final VarHandle ERRORS;
    private static final VarHandle ITERATIONS;
    private static final VarHandle TASKS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ACCEPTED = lookup.findVarHandle(ReactorCounters.class, "accepted", long.class);
            CONNECTED = lookup.findVarHandle(ReactorCounters.class, "connected", long.class);
            CLOSED = lookup.findVarHandle(ReactorCounters.class, "closed", long.class);
            BYTES_READ = lookup.findVarHandle(ReactorCounters.class, "bytesRead", long.class);
            BYTES_WRITTEN = lookup.findVarHandle(ReactorCounters.class, "bytesWritten", long.class);
            REQUESTS = lookup.findVarHandle(ReactorCounters.class, "requests", long.class);
            ERRORS = lookup.findVarHandle(ReactorCounters.class, "errors", long.class);
            ITERATIONS = lookup.findVarHandle(ReactorCounters.class, "iterations", long.class);
            TASKS = lookup.findVarHandle(ReactorCounters.class, "tasks", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long accepted;
    private long connected;
    private long closed;
    private long bytesRead;
    private long bytesWritten;
    private long requests;
    private long errors;
    private long iterations;
    private long tasks;

    ReactorCounters() {}

    /** A connection was accepted from a listener. */
    public void countAccepted() {
        ACCEPTED.setOpaque(this, accepted + 1);
    }

    /** An outgoing connection was established. */
    public void countConnected() {
        CONNECTED.setOpaque(this, connected + 1);
    }

    void countClosed(boolean byError) {
        CLOSED.setOpaque(this, closed + 1);
        if (byError) {
            ERRORS.setOpaque(this, errors + 1);
        }
    }

    void addBytesRead(long n) {
        BYTES_READ.setOpaque(this, bytesRead + n);
    }

    void addBytesWritten(long n) {
        BYTES_WRITTEN.setOpaque(this, bytesWritten + n);
    }

    void addRequests(int n) {
        REQUESTS.setOpaque(this, requests + n);
    }

    void addIteration() {
        ITERATIONS.setOpaque(this, iterations + 1);
    }

    void addTasks(int n) {
        TASKS.setOpaque(this, tasks + n);
    }

    /**
     * {@return the counters as of now} Any thread; each figure is read whole, but the set is not one
     * instant.
     */
    public ReactorStats snapshot() {
        return new ReactorStats(
                (long) ACCEPTED.getOpaque(this),
                (long) CONNECTED.getOpaque(this),
                (long) CLOSED.getOpaque(this),
                (long) BYTES_READ.getOpaque(this),
                (long) BYTES_WRITTEN.getOpaque(this),
                (long) REQUESTS.getOpaque(this),
                (long) ERRORS.getOpaque(this),
                (long) ITERATIONS.getOpaque(this),
                (long) TASKS.getOpaque(this));
    }
}
