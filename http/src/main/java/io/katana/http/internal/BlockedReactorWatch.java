package io.katana.http.internal;

import io.katana.http.HttpMethod;
import io.katana.reactor.Connection;
import io.katana.reactor.ReactorLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns when a handler that is not {@linkplain io.katana.http.HttpHandler#blocking blocking} holds a
 * reactor thread past a threshold, as Vert.x's blocked-thread checker does: every other connection of
 * that reactor waits meanwhile. Logged at WARN once per occurrence, with the route and the reactor
 * thread's stack at that moment.
 *
 * <p>The reactor's cost is two ordered stores per handler call into its own {@link Slot}: a sequence
 * number made odd on entry and even on exit, and the route. No clock is read on the reactor thread:
 * one daemon checker thread per server samples the slots every quarter threshold and times a sequence
 * number that stays odd, so a handler is reported between one and one and a quarter thresholds after
 * it started.
 *
 * <p><b>Threading:</b> {@link #slot} runs on a reactor thread; a slot is written by its reactor thread
 * only and read by the checker thread; {@link #close} from any thread.
 */
public final class BlockedReactorWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);

    private final long thresholdNanos;
    private final CopyOnWriteArrayList<Slot> slots = new CopyOnWriteArrayList<>();
    private final ReactorLocal<Slot> perReactor = ReactorLocal.withInitial(this::register);
    private Thread checker;
    private boolean closed;

    /** @param threshold how long a handler may hold its reactor thread before it is reported; positive */
    public BlockedReactorWatch(Duration threshold) {
        this.thresholdNanos = threshold.toNanos();
    }

    /** Reactor thread: the slot of this connection's reactor, made (and the checker started) on first use. */
    Slot slot(Connection connection) {
        return perReactor.get(connection);
    }

    private Slot register() {
        Slot slot = new Slot(Thread.currentThread());
        slots.add(slot);
        synchronized (this) {
            if (checker == null && !closed) {
                checker = Thread.ofPlatform().daemon().name("katana-http-blocked-reactor-check").start(this::check);
            }
        }
        return slot;
    }

    private void check() {
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(1), thresholdNanos / 4);
        try {
            while (true) {
                TimeUnit.NANOSECONDS.sleep(period);
                long now = System.nanoTime();
                for (Slot slot : slots) {
                    slot.sample(now, thresholdNanos);
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Stops the checker thread. */
    @Override
    public synchronized void close() {
        closed = true;
        if (checker != null) {
            checker.interrupt();
        }
    }

    /**
     * One reactor thread's handler calls, as the checker sees them.
     *
     * <p><b>Threading:</b> {@link #enter} and {@link #exit} on the reactor thread; {@link #sample} on the
     * checker thread.
     */
    static final class Slot {

        private static final VarHandle SEQUENCE;

        static {
            try {
                SEQUENCE = MethodHandles.lookup().findVarHandle(Slot.class, "sequence", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Thread thread;
        @SuppressWarnings("unused") // through SEQUENCE; odd while a handler runs
        private volatile long sequence;
        // Written before the odd sequence number is released, read after it is acquired.
        private HttpMethod method;
        private String route;
        // The checker's own: the odd number it is timing, since when, and the last one it reported.
        private long timedSequence;
        private long timedSince;
        private long reportedSequence;

        private Slot(Thread thread) {
            this.thread = thread;
        }

        /** Reactor thread: a handler for {@code route} starts. */
        void enter(HttpMethod requestMethod, String routePattern) {
            method = requestMethod;
            route = routePattern;
            SEQUENCE.setRelease(this, (long) SEQUENCE.getOpaque(this) + 1);
        }

        /** Reactor thread: the handler returned (or threw). */
        void exit() {
            SEQUENCE.setRelease(this, (long) SEQUENCE.getOpaque(this) + 1);
        }

        private void sample(long now, long thresholdNanos) {
            long seen = (long) SEQUENCE.getAcquire(this);
            if ((seen & 1) == 0) {
                return;
            }
            if (seen != timedSequence) {
                timedSequence = seen;
                timedSince = now;
                return;
            }
            long held = now - timedSince;
            if (held < thresholdNanos || reportedSequence == seen) {
                return;
            }
            HttpMethod requestMethod = method;
            String requestRoute = route;
            StackTraceElement[] stack = thread.getStackTrace();
            if ((long) SEQUENCE.getAcquire(this) != seen) {
                return; // it returned meanwhile: the stack would be of something else
            }
            reportedSequence = seen;
            StringBuilder trace = new StringBuilder();
            for (StackTraceElement frame : stack) {
                trace.append("\n\tat ").append(frame);
            }
            LOG.warn("the handler for {} {} has held reactor thread {} for at least {} ms (warning threshold {} ms):"
                            + " every other connection of this reactor waits. Wrap a handler that blocks with"
                            + " HttpHandler.blocking. The reactor thread's stack:{}",
                    requestMethod, requestRoute, thread.getName(), TimeUnit.NANOSECONDS.toMillis(held),
                    TimeUnit.NANOSECONDS.toMillis(thresholdNanos), trace);
        }
    }
}
