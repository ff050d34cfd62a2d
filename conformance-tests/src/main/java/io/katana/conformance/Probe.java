package io.katana.conformance;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A {@link ConnectionHandler} that records what its connection went through and checks the handler
 * contract as it goes: every callback on the connection's reactor thread, never two at once from
 * different threads, always the same {@link Connection} object, {@code onOpen} first and once, no
 * {@code onRead} after {@code onInputClosed}, {@code onClose} last and once.
 *
 * <p>Behaviour is plugged in with the {@code when...} methods before the probe is handed to a
 * reactor; without any, it consumes and records every byte and closes on end of input, like the
 * interface's defaults.
 *
 * <p>Threading: callbacks come from the reactor; the query and {@code await...} methods are for
 * the test thread and are safe from any thread.
 */
final class Probe implements ConnectionHandler {

    /** A callback, as recorded in {@link #events()}; consecutive reads are recorded once. */
    enum Event { OPEN, READ, UNWRITABLE, WRITABLE, INPUT_CLOSED, CLOSE }

    /** How {@code onClose} ended the connection. */
    record Closing(Throwable cause) {}

    private final Object lock = new Object();
    private final List<Event> events = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final List<Boolean> writabilityMismatches = new ArrayList<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final Set<String> callbackThreads = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Connection> opened = new CompletableFuture<>();
    private final CompletableFuture<Void> inputClosed = new CompletableFuture<>();
    private final CompletableFuture<Closing> closed = new CompletableFuture<>();
    private Connection connection;
    private Thread inside;
    private int depth;
    private int opens;
    private int inputCloses;
    private int closes;
    private int reads;
    private int largestRead;

    private volatile Consumer<Connection> openAction = c -> {};
    private volatile BiConsumer<Connection, ByteBuffer> readAction;
    private volatile Consumer<Connection> inputClosedAction = Connection::close;
    private volatile BiConsumer<Connection, Boolean> writabilityAction = (c, writable) -> {};
    private volatile BiConsumer<Connection, Throwable> closeAction = (c, cause) -> {};

    /** A probe that consumes and records every byte. */
    static Probe recording() {
        return new Probe();
    }

    /** A probe that writes back every byte it reads, flushing after each read. */
    static Probe echo() {
        return new Probe().whenRead((c, data) -> {
            c.write(data);
            c.flush();
        });
    }

    Probe whenOpened(Consumer<Connection> action) {
        openAction = action;
        return this;
    }

    /**
     * Replaces "consume everything" with {@code action}; the bytes it consumes (position moved past
     * them) are recorded, the rest stay with the reactor as the contract says.
     */
    Probe whenRead(BiConsumer<Connection, ByteBuffer> action) {
        readAction = action;
        return this;
    }

    Probe whenInputClosed(Consumer<Connection> action) {
        inputClosedAction = action;
        return this;
    }

    Probe whenWritabilityChanged(BiConsumer<Connection, Boolean> action) {
        writabilityAction = action;
        return this;
    }

    Probe whenClosed(BiConsumer<Connection, Throwable> action) {
        closeAction = action;
        return this;
    }

    /**
     * A handler that forwards every callback to this probe except {@code onInputClosed}, so the
     * interface's default for it is what runs.
     */
    ConnectionHandler withDefaultInputClosed() {
        Probe probe = this;
        return new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                probe.onOpen(c);
            }

            @Override
            public void onRead(Connection c, ByteBuffer data) {
                probe.onRead(c, data);
            }

            @Override
            public void onWritabilityChanged(Connection c, boolean writable) {
                probe.onWritabilityChanged(c, writable);
            }

            @Override
            public void onClose(Connection c, Throwable cause) {
                probe.onClose(c, cause);
            }
        };
    }

    // ---------------------------------------------------------------- callbacks

    @Override
    public void onOpen(Connection c) {
        enter(Event.OPEN, c);
        try {
            openAction.accept(c);
        } finally {
            exit();
            opened.complete(c);
        }
    }

    @Override
    public void onRead(Connection c, ByteBuffer data) {
        enter(Event.READ, c);
        try {
            int start = data.position();
            ByteBuffer view = data.duplicate();
            synchronized (lock) {
                if (!data.hasRemaining()) {
                    violations.add("onRead presented no bytes");
                }
                reads++;
                largestRead = Math.max(largestRead, data.remaining());
            }
            BiConsumer<Connection, ByteBuffer> action = readAction;
            if (action == null) {
                data.position(data.limit());
            } else {
                action.accept(c, data);
            }
            int end = data.position();
            if (end > start) {
                byte[] consumed = new byte[end - start];
                view.position(start);
                view.get(consumed);
                synchronized (lock) {
                    received.writeBytes(consumed);
                    lock.notifyAll();
                }
            }
        } finally {
            exit();
        }
    }

    @Override
    public void onWritabilityChanged(Connection c, boolean writable) {
        enter(writable ? Event.WRITABLE : Event.UNWRITABLE, c);
        try {
            if (c.isWritable() != writable) {
                synchronized (lock) {
                    writabilityMismatches.add(writable);
                }
            }
            writabilityAction.accept(c, writable);
        } finally {
            exit();
        }
    }

    @Override
    public void onInputClosed(Connection c) {
        enter(Event.INPUT_CLOSED, c);
        try {
            inputClosedAction.accept(c);
        } finally {
            exit();
            inputClosed.complete(null);
        }
    }

    @Override
    public void onClose(Connection c, Throwable cause) {
        enter(Event.CLOSE, c);
        try {
            closeAction.accept(c, cause);
        } finally {
            exit();
            closed.complete(new Closing(cause));
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    private void enter(Event event, Connection c) {
        Thread current = Thread.currentThread();
        boolean onReactor = c.reactor().inEventLoop();
        callbackThreads.add(current.getName());
        synchronized (lock) {
            if (!onReactor) {
                violations.add(event + " ran on thread " + current.getName() + ", not on the connection's reactor "
                        + c.reactor().name());
            }
            if (depth > 0 && inside != current) {
                violations.add(event + " ran on " + current.getName() + " while " + inside.getName()
                        + " was still inside another callback of the same connection");
            }
            inside = current;
            depth++;
            if (connection == null) {
                connection = c;
            } else if (connection != c) {
                violations.add(event + " was given a different Connection object than earlier callbacks");
            }
            if (opens == 0 && event != Event.OPEN) {
                violations.add(event + " came before onOpen");
            }
            if (closes > 0) {
                violations.add(event + " came after onClose");
            }
            switch (event) {
                case OPEN -> {
                    if (opens++ > 0) violations.add("onOpen came twice");
                }
                case READ -> {
                    if (inputCloses > 0) violations.add("onRead came after onInputClosed");
                }
                case INPUT_CLOSED -> {
                    if (inputCloses++ > 0) violations.add("onInputClosed came twice");
                }
                case CLOSE -> closes++;
                case WRITABLE, UNWRITABLE -> { }
            }
            if (event != Event.READ || events.isEmpty() || events.getLast() != Event.READ) {
                events.add(event);
            }
        }
    }

    private void exit() {
        synchronized (lock) {
            if (--depth == 0) {
                inside = null;
            }
        }
    }

    // ---------------------------------------------------------------- queries for the test thread

    /** Completes with the connection once {@code onOpen} has returned. */
    CompletableFuture<Connection> opened() {
        return opened;
    }

    Connection awaitOpen() {
        return Waits.await(opened, "onOpen");
    }

    /** Waits for {@code onClose} and returns its cause (null after an orderly close). */
    Throwable awaitClose() {
        return Waits.await(closed, "onClose of " + describeConnection()).cause();
    }

    Throwable awaitClose(Duration limit) {
        return Waits.await(closed, limit, "onClose of " + describeConnection()).cause();
    }

    void awaitInputClosed() {
        Waits.await(inputClosed, "onInputClosed of " + describeConnection());
    }

    boolean isOpened() {
        return opened.isDone();
    }

    boolean isClosed() {
        return closed.isDone();
    }

    boolean isInputClosed() {
        return inputClosed.isDone();
    }

    /** The connection, once opened; fails if it never opens. */
    Connection connection() {
        return awaitOpen();
    }

    /** Waits until at least {@code size} bytes were consumed and returns all of them. */
    byte[] awaitReceived(int size) {
        return awaitReceived(size, Waits.EVENT);
    }

    byte[] awaitReceived(int size, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (lock) {
            while (received.size() < size) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed.isDone()) {
                    throw new AssertionError("expected " + size + " bytes but only " + received.size()
                            + " arrived " + (closed.isDone() ? "before onClose" : "within " + Waits.describe(limit))
                            + "; events " + events);
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
            return received.toByteArray();
        }
    }

    /** Every byte consumed so far. */
    byte[] received() {
        synchronized (lock) {
            return received.toByteArray();
        }
    }

    int receivedCount() {
        synchronized (lock) {
            return received.size();
        }
    }

    /** The callbacks so far, in order, consecutive reads folded into one {@link Event#READ}. */
    List<Event> events() {
        synchronized (lock) {
            return List.copyOf(events);
        }
    }

    int reads() {
        synchronized (lock) {
            return reads;
        }
    }

    /** The most bytes one {@code onRead} presented. */
    int largestRead() {
        synchronized (lock) {
            return largestRead;
        }
    }

    /** Names of the threads that ran callbacks. */
    Set<String> callbackThreads() {
        return Set.copyOf(callbackThreads);
    }

    /** Values of {@code onWritabilityChanged} that disagreed with {@code isWritable()} during the call. */
    List<Boolean> writabilityMismatches() {
        synchronized (lock) {
            return List.copyOf(writabilityMismatches);
        }
    }

    /** Fails with every contract violation seen so far. */
    void assertContract() {
        synchronized (lock) {
            if (!violations.isEmpty()) {
                throw new AssertionError("handler contract broken on " + describeConnection() + ": " + violations
                        + "; events " + events);
            }
        }
    }

    String describeConnection() {
        synchronized (lock) {
            return connection == null ? "a connection that never opened" : "connection " + connection.id();
        }
    }
}
