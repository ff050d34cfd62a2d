package io.katana.conformance;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A handler for checks that care about the exact sequence of callbacks: it logs each one as a line
 * ({@code open}, {@code read:<what was presented>}, {@code unwritable}, {@code writable}, {@code
 * inputClosed}, {@code close:<cause>}), notes every callback that started while another was still
 * running (on any thread), and leaves {@code onInputClosed} to the interface's default (close) unless
 * told otherwise.
 *
 * <p>Threading: callbacks come from the reactor; the queries are safe from any thread.
 */
final class Scripted implements ConnectionHandler {

    private final Object lock = new Object();
    private final List<String> log = new ArrayList<>();
    private final List<String> overlaps = new ArrayList<>();
    private final StringBuilder consumed = new StringBuilder();
    private final CompletableFuture<Connection> opened = new CompletableFuture<>();
    private final CompletableFuture<Throwable> closed = new CompletableFuture<>();
    private int depth;
    private String inside;

    private volatile BiConsumer<Connection, ByteBuffer> onRead = (c, data) -> data.position(data.limit());
    private volatile BiConsumer<Connection, Boolean> onWritability = (c, writable) -> {};
    private volatile java.util.function.Consumer<Connection> onOpen = c -> {};
    private volatile java.util.function.Consumer<Connection> onInputClosed;

    Scripted whenOpened(java.util.function.Consumer<Connection> action) {
        onOpen = action;
        return this;
    }

    /** What {@code onRead} does; what it consumes is recorded, the rest is left with the reactor. */
    Scripted whenRead(BiConsumer<Connection, ByteBuffer> action) {
        onRead = action;
        return this;
    }

    Scripted whenWritabilityChanged(BiConsumer<Connection, Boolean> action) {
        onWritability = action;
        return this;
    }

    /** Replaces the interface's default {@code onInputClosed} (which closes). */
    Scripted whenInputClosed(java.util.function.Consumer<Connection> action) {
        onInputClosed = action;
        return this;
    }

    @Override
    public void onOpen(Connection c) {
        enter("open");
        try {
            onOpen.accept(c);
        } finally {
            exit();
            opened.complete(c);
        }
    }

    @Override
    public void onRead(Connection c, ByteBuffer data) {
        int start = data.position();
        ByteBuffer view = data.duplicate();
        enter("read:" + Bytes.ascii(Bytes.remaining(data.duplicate())));
        try {
            onRead.accept(c, data);
        } finally {
            int end = data.position();
            if (end > start) {
                byte[] bytes = new byte[end - start];
                view.position(start);
                view.get(bytes);
                synchronized (lock) {
                    consumed.append(Bytes.ascii(bytes));
                }
            }
            exit();
        }
    }

    @Override
    public void onWritabilityChanged(Connection c, boolean writable) {
        enter(writable ? "writable" : "unwritable");
        try {
            onWritability.accept(c, writable);
        } finally {
            exit();
        }
    }

    @Override
    public void onInputClosed(Connection c) {
        enter("inputClosed");
        try {
            if (onInputClosed == null) {
                ConnectionHandler.super.onInputClosed(c);
            } else {
                onInputClosed.accept(c);
            }
        } finally {
            exit();
        }
    }

    @Override
    public void onClose(Connection c, Throwable cause) {
        // onClose may come from inside another callback (a close or abort made there); that nesting is
        // the documented behaviour of close and abort, so it is logged but not counted as an overlap.
        synchronized (lock) {
            log.add("close:" + (cause == null ? "orderly" : cause.getClass().getSimpleName()));
        }
        closed.complete(cause);
    }

    private void enter(String event) {
        synchronized (lock) {
            if (depth > 0) {
                overlaps.add(event + " began inside " + inside);
            }
            depth++;
            inside = event;
            log.add(event);
        }
    }

    private void exit() {
        synchronized (lock) {
            depth--;
        }
    }

    Connection awaitOpen() {
        return Waits.await(opened, "onOpen");
    }

    Throwable awaitClose(String what) {
        return Waits.await(closed, what + "; callbacks so far: " + log());
    }

    boolean isClosed() {
        return closed.isDone();
    }

    List<String> log() {
        synchronized (lock) {
            return List.copyOf(log);
        }
    }

    /** The lines of {@link #log()} that start with {@code prefix}. */
    List<String> log(String prefix) {
        return log().stream().filter(line -> line.startsWith(prefix)).toList();
    }

    String consumed() {
        synchronized (lock) {
            return consumed.toString();
        }
    }

    List<String> overlaps() {
        synchronized (lock) {
            return List.copyOf(overlaps);
        }
    }

    void awaitLog(java.util.function.Predicate<List<String>> condition, String what) {
        Waits.until(() -> condition.test(log()), Waits.EVENT, () -> what + "; callbacks so far: " + log());
    }
}
