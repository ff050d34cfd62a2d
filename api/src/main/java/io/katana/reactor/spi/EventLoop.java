package io.katana.reactor.spi;

import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.ReactorLocal;
import io.katana.reactor.ReactorStats;
import io.katana.reactor.ScheduledTask;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a reactor every backend shares: one platform thread that polls for readiness, fires
 * timers and runs tasks, the sleep/wake handshake, the registry of open connections, the buffer pool
 * and the shared read buffer, and graceful shutdown. A backend supplies {@link #poll(long)}, {@link
 * #wakeUp()} and {@link #closeSelector()}.
 *
 * <p><b>Threading:</b> {@link #execute}, {@link #schedule}, {@link #inEventLoop} and {@link
 * #beginShutdown} from any thread; everything documented "loop only" from the reactor thread.
 *
 * <p><b>Waking:</b> before it blocks, the loop stores {@code SLEEPING} (volatile) and then checks
 * the task queue (volatile read of its tail). A producer offers its task (an atomic exchange) and
 * then swaps {@code SLEEPING} for {@code AWAKE}; only the producer that wins that swap calls {@link
 * #wakeUp()}. Either the loop sees the task or the producer sees the loop asleep, so no task waits
 * for an unrelated event, and a busy loop is never woken with a system call. {@link #wakeUp()} is
 * never called once {@link #closeSelector()} has begun, so a backend needs no guard of its own
 * against writing to a descriptor it closed.
 *
 * <p><b>Termination:</b> a task is run or refused, never lost. {@link #execute} refuses with {@link
 * RejectedExecutionException} once the reactor has terminated; a task offered while it terminates
 * is either run by the loop's last drain or, if the producer finds the reactor terminated after its
 * offer, refused to that producer. Acceptors and connects still pending when the loop ends are closed
 * (their sockets too) before the poller is released.
 */
public abstract class EventLoop implements Reactor, Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);

    private static final int AWAKE = 0;
    private static final int SLEEPING = 1;
    private static final VarHandle WAKE_STATE;

    private static final int RUNNING = 0;
    private static final int SHUTTING_DOWN = 1;
    private static final int TERMINATED = 2;

    /** Tasks run per loop iteration before I/O is polled again, so a flood of tasks cannot starve I/O. */
    private static final int TASK_BUDGET = 4096;

    static {
        try {
            WAKE_STATE = MethodHandles.lookup().findVarHandle(EventLoop.class, "wakeState", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ReactorGroup group;
    private final String name;
    private Thread thread; // set once by start(), before the thread runs
    private final MpscTaskQueue tasks = new MpscTaskQueue();
    private final TimerWheel timers;
    private final BufferPool buffers;
    private final IoBuffer readBuffer;
    private final CompletableFuture<Void> termination = new CompletableFuture<>();
    private final ReactorCounters counters = new ReactorCounters();

    @SuppressWarnings("unused") // accessed through WAKE_STATE
    private volatile int wakeState = AWAKE;
    private volatile int lifecycle = RUNNING;

    // Termination: guards wakeUp() against closeSelector(), and hands the queue's consumer role to
    // producers once the loop has drained it for the last time.
    private final Object terminationLock = new Object();
    private boolean pollerClosed; // guarded by terminationLock
    private boolean drainedForGood; // guarded by terminationLock
    private final List<Runnable> refused = new ArrayList<>(); // guarded by terminationLock

    // Loop only: acceptors and pending connects, closed if still here when the loop ends.
    private final Set<Terminable> terminables = new LinkedHashSet<>();

    // Loop only.
    private AbstractConnection[] open = new AbstractConnection[64];
    private int openCount;
    private long shutdownDeadline;
    private Object[] locals = new Object[8];
    private final int maxKeptInputBytes;

    /**
     * Creates the reactor's timer wheel, buffer pool and read buffer; {@link #start()} then starts its
     * thread.
     *
     * @param group the group the reactor belongs to
     * @param config the group's configuration: thread name, buffer sizes, timer settings
     * @param index the reactor's index in the group, appended to its thread name
     */
    protected EventLoop(ReactorGroup group, ReactorConfig config, int index) {
        this.group = Objects.requireNonNull(group, "group");
        this.name = config.threadNamePrefix() + index;
        this.timers = new TimerWheel(config.timerTick().toNanos(), config.timerWheelSlots(), System.nanoTime());
        this.buffers = new BufferPool(config.outboundChunkSize(), config.maxPooledChunks());
        this.readBuffer = new IoBuffer(config.readBufferSize());
        this.maxKeptInputBytes = config.maxKeptInputBytes();
    }

    /** Starts the reactor thread; called once by the group after construction. */
    public final void start() {
        if (thread != null) {
            throw new IllegalStateException(name + " was already started");
        }
        thread = Thread.ofPlatform().name(name).daemon(false).unstarted(this);
        thread.start();
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final ReactorGroup group() {
        return group;
    }

    @Override
    public final boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public final void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (lifecycle == TERMINATED) {
            throw new RejectedExecutionException(name + " has shut down; the task was not run");
        }
        tasks.offer(task);
        if (lifecycle == TERMINATED) {
            // The loop may have drained the queue for the last time before this offer: find out.
            refuseIfNotRun(task);
            return;
        }
        if (!inEventLoop() && (int) WAKE_STATE.compareAndExchange(this, SLEEPING, AWAKE) == SLEEPING) {
            guardedWakeUp();
        }
    }

    /**
     * A producer that saw the reactor terminated after offering: if the loop's last drain did not
     * take {@code task}, it is refused. Once the loop has drained for good, producers take the
     * consumer's role in turn, under the lock: each takes what is left, keeps the tasks of other
     * producers aside as refused, and refuses its own.
     */
    private void refuseIfNotRun(Runnable task) {
        synchronized (terminationLock) {
            while (!drainedForGood) {
                try {
                    terminationLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RejectedExecutionException(name + " is terminating; interrupted while waiting for it", e);
                }
            }
            Runnable left;
            while (!tasks.isEmpty()) {
                if ((left = tasks.poll()) != null) {
                    refused.add(left);
                } else {
                    Thread.onSpinWait(); // a producer between its exchange and its link
                }
            }
            for (int i = 0; i < refused.size(); i++) {
                if (refused.get(i) == task) {
                    refused.remove(i);
                    throw new RejectedExecutionException(name + " has shut down; the task was not run");
                }
            }
        }
        // Not left in the queue: the loop's last drain ran it.
    }

    private void guardedWakeUp() {
        synchronized (terminationLock) {
            if (!pollerClosed) {
                wakeUp();
            }
        }
    }

    @Override
    public final ScheduledTask schedule(long delay, TimeUnit unit, Runnable task) {
        Objects.requireNonNull(task, "task");
        long deadline = System.nanoTime() + Math.max(0, unit.toNanos(delay));
        WheelTimeout timeout = new WheelTimeout(this, task, deadline);
        if (inEventLoop()) {
            timers.add(timeout);
        } else {
            execute(() -> timers.add(timeout));
        }
        return timeout;
    }

    @Override
    public final <T> T local(ReactorLocal<T> key) {
        if (!inEventLoop()) {
            throw new IllegalStateException("ReactorLocal values of " + name + " are read on its own thread only");
        }
        int index = key.index();
        if (index >= locals.length) {
            locals = Arrays.copyOf(locals, Math.max(index + 1, locals.length * 2));
        }
        Object value = locals[index];
        if (value == null) {
            value = key.initialValue();
            locals[index] = value;
        }
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        return typed;
    }

    /** {@return the most unconsumed input a connection of this reactor may keep} */
    public final int maxKeptInputBytes() {
        return maxKeptInputBytes;
    }

    @Override
    public final ReactorStats stats() {
        return counters.snapshot();
    }

    @Override
    public final void recordRequests(int count) {
        counters.addRequests(count);
    }

    /** {@return this reactor's counters: updated on the loop, read anywhere} */
    public final ReactorCounters counters() {
        return counters;
    }

    /**
     * Loop only: a backend calls this when its wait has returned and before it dispatches events, so
     * that tasks submitted while handlers run do not pay for a wake-up the loop does not need.
     */
    protected final void markAwake() {
        WAKE_STATE.setRelease(this, AWAKE);
    }

    /** Loop only: the timer wheel. */
    final TimerWheel timers() {
        assert inEventLoop() : "timers() off the loop of " + name;
        return timers;
    }

    /** {@return this reactor's pool of off-heap chunks} Loop only. */
    public final BufferPool buffers() {
        return buffers;
    }

    /**
     * {@return the buffer every read of this reactor lands in first} Loop only. Its content is valid
     * until the next read on this reactor.
     */
    public final IoBuffer readBuffer() {
        return readBuffer;
    }

    /** {@return a future that completes once the reactor thread has ended and released its resources} */
    public final CompletableFuture<Void> terminationFuture() {
        return termination;
    }

    /** {@return whether shutdown has begun} */
    public final boolean isShuttingDown() {
        return lifecycle != RUNNING;
    }

    /** {@return the open connections on this reactor} Exact on the loop; elsewhere a moment stale. */
    public final int openConnections() {
        return openCount;
    }

    /**
     * Begins a graceful shutdown: {@link #onShutdownStarted()} runs on the loop (a backend closes its
     * listening sockets there), every open connection's handler is told ({@link
     * io.katana.reactor.ConnectionHandler#onShutdown}, which by default closes it after its queued
     * writes), and the loop ends once none is left or the deadline passes, aborting what is still open.
     *
     * @param deadlineNanos the {@link System#nanoTime()} at which what is still open is aborted
     */
    public final void beginShutdown(long deadlineNanos) {
        execute(() -> {
            if (lifecycle != RUNNING) {
                return;
            }
            lifecycle = SHUTTING_DOWN;
            shutdownDeadline = deadlineNanos;
            onShutdownStarted();
            for (AbstractConnection connection : Arrays.copyOf(open, openCount)) {
                connection.shutdownRequested();
            }
        });
    }

    /** Loop only: records a connection as open; it then takes part in shutdown. */
    final void register(AbstractConnection connection) {
        assert inEventLoop() : "register() off the loop of " + name;
        if (openCount == open.length) {
            open = Arrays.copyOf(open, openCount * 2);
        }
        connection.registryIndex = openCount;
        open[openCount++] = connection;
    }

    /** Loop only: forgets a closed connection in O(1). */
    final void deregister(AbstractConnection connection) {
        assert inEventLoop() : "deregister() off the loop of " + name;
        int index = connection.registryIndex;
        if (index < 0) {
            return;
        }
        AbstractConnection last = open[--openCount];
        open[index] = last;
        last.registryIndex = index;
        open[openCount] = null;
        connection.registryIndex = -1;
    }

    /** Loop only: something to close if it is still pending when the loop ends. */
    interface Terminable {
        /** Closes its socket and fails or completes what waits for it; must not throw. */
        void closeAtTermination();
    }

    /** Loop only: {@code terminable} is closed at termination unless {@link #untrack}ed first. */
    final void track(Terminable terminable) {
        assert inEventLoop() : "track() off the loop of " + name;
        terminables.add(terminable);
    }

    /** Loop only: {@code terminable} has closed or finished; termination leaves it alone. */
    final void untrack(Terminable terminable) {
        assert inEventLoop() : "untrack() off the loop of " + name;
        terminables.remove(terminable);
    }

    @Override
    public final void run() {
        try {
            loop();
        } catch (Throwable t) {
            LOG.error("{} stopped on an unexpected error", name, t);
        } finally {
            terminate();
        }
    }

    private void loop() {
        while (true) {
            int ran = runTasks();
            long now = System.nanoTime();
            int fired = timers.expire(now);
            counters.addTasks(ran + fired);
            counters.addIteration();
            if (lifecycle == SHUTTING_DOWN && (openCount == 0 || now - shutdownDeadline >= 0)) {
                return;
            }
            long timeout = ran >= TASK_BUDGET ? 0 : timers.nanosUntilNextDeadline(now);
            if (lifecycle == SHUTTING_DOWN) {
                long untilDeadline = Math.max(0, shutdownDeadline - now);
                timeout = timeout < 0 ? untilDeadline : Math.min(timeout, untilDeadline);
            }
            if (timeout != 0) {
                WAKE_STATE.setVolatile(this, SLEEPING);
                if (!tasks.isEmpty()) {
                    timeout = 0;
                }
            }
            try {
                poll(timeout);
            } catch (IOException e) {
                LOG.error("{}: polling failed; retrying in 10 ms", name, e);
                pause();
            } finally {
                WAKE_STATE.setRelease(this, AWAKE);
            }
        }
    }

    private int runTasks() {
        int ran = 0;
        Runnable task;
        while (ran < TASK_BUDGET && (task = tasks.poll()) != null) {
            ran++;
            try {
                task.run();
            } catch (Throwable t) {
                LOG.warn("{}: a task threw; the reactor goes on", name, t);
            }
        }
        return ran;
    }

    private void terminate() {
        lifecycle = SHUTTING_DOWN;
        for (AbstractConnection connection : Arrays.copyOf(open, openCount)) {
            connection.abort();
        }
        runTasks(); // last words of connections and listeners
        for (Terminable terminable : List.copyOf(terminables)) {
            try {
                terminable.closeAtTermination();
            } catch (Throwable t) {
                LOG.warn("{}: closing {} at termination failed", name, terminable, t);
            }
        }
        terminables.clear();
        lifecycle = TERMINATED;
        synchronized (terminationLock) {
            pollerClosed = true; // no wakeUp() from now on: the poller is going away
        }
        try {
            closeSelector();
        } catch (Throwable t) {
            LOG.warn("{}: releasing the poller failed", name, t);
        }
        drainForGood();
        // Completed only once this thread has ended, so that whoever waits for the termination may
        // rely on it (a thread cannot complete a future after its own end: a waiter does it).
        Thread loopThread = thread;
        Thread.ofVirtual().name(name + "-termination").start(() -> {
            awaitEnd(loopThread);
            termination.complete(null);
        });
    }

    /**
     * Runs every task offered before the producers could see {@link #TERMINATED}, including one whose
     * producer is between its exchange and its link; later ones are refused to their producers.
     */
    private void drainForGood() {
        Runnable task;
        while (!tasks.isEmpty()) {
            if ((task = tasks.poll()) == null) {
                Thread.onSpinWait();
                continue;
            }
            try {
                task.run();
            } catch (Throwable t) {
                LOG.warn("{}: a task threw; the reactor goes on", name, t);
            }
        }
        synchronized (terminationLock) {
            drainedForGood = true;
            terminationLock.notifyAll();
        }
    }

    private static void awaitEnd(Thread loopThread) {
        boolean interrupted = false;
        while (loopThread.isAlive()) {
            try {
                loopThread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Loop only: waits for readiness and dispatches it to connections and listeners.
     *
     * @param timeoutNanos -1 to wait until woken, 0 not to wait, otherwise the longest wait; a
     *     backend with millisecond resolution rounds up, so timers never fire early
     * @throws IOException if the poller itself failed; the loop logs it and polls again after 10 ms
     */
    protected abstract void poll(long timeoutNanos) throws IOException;

    /** Any thread: makes a blocked or about-to-block {@link #poll} return soon. */
    protected abstract void wakeUp();

    /**
     * Loop only, once, at the end: releases the poller (selector, epoll fd, eventfd).
     *
     * @throws IOException if releasing failed; logged, the reactor ends anyway
     */
    protected abstract void closeSelector() throws IOException;

    /** Loop only: shutdown began; close listening sockets owned by this reactor. */
    protected void onShutdownStarted() {}

    @Override
    public String toString() {
        return name;
    }
}
