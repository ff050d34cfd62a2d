package io.katana.http.internal;

import io.katana.http.ResponseStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The server's {@link ResponseStream}: frames each write as a chunk (HTTP/1.1) or sends it raw (a
 * declared length, or HTTP/1.0 ended by closing the connection), counts the bytes of a declared
 * length, and relays the connection's writability and end.
 *
 * <p><b>Threading:</b> any thread; writes go through {@link io.katana.reactor.Connection#write},
 * which keeps one thread's writes in order. Writability waiters are woken under {@link #lock}.
 */
final class ServerResponseStream implements ResponseStream {

    private final ResponseWriter writer;
    private final ServerResponse response;
    private final boolean chunked;
    private final boolean discard;
    /** The declared Content-Length, or -1. */
    private final long declaredLength;
    /** Bytes accepted so far against {@link #declaredLength}; null without one. */
    private final AtomicLong written;
    private final AtomicReference<Runnable> writableAction = new AtomicReference<>();
    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile boolean connectionClosed;

    ServerResponseStream(ResponseWriter writer, ServerResponse response, long declaredLength) {
        this.writer = writer;
        this.response = response;
        this.declaredLength = declaredLength;
        this.chunked = declaredLength < 0 && response.streamsChunked();
        this.discard = response.isHeadRequest() || StatusLines.forbidsContent(response.status());
        this.written = declaredLength >= 0 && !discard ? new AtomicLong() : null;
    }

    /** A stream for a response whose exchange was abandoned before it started: every write is dropped. */
    static ServerResponseStream abandoned(ResponseWriter writer, ServerResponse response) {
        ServerResponseStream dead = new ServerResponseStream(writer, response, -1);
        dead.connectionClosed = true;
        return dead;
    }

    ServerResponse response() {
        return response;
    }

    boolean chunked() {
        return chunked;
    }

    @Override
    public void write(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        if (closed) {
            throw new IllegalStateException("the response stream is closed");
        }
        if (discard || connectionClosed || !data.hasRemaining()) {
            data.position(data.limit()); // nothing to send, or nobody to send it to
            return;
        }
        if (written != null) {
            reserve(data.remaining());
        }
        writer.writeChunk(this, data);
    }

    @Override
    public boolean isWritable() {
        return !connectionClosed && writer.connection().isWritable();
    }

    @Override
    public void onWritable(Runnable action) {
        Objects.requireNonNull(action, "action");
        writableAction.set(action);
        if (isWritable()) {
            writer.runOnReactor(this::runWritableAction);
        }
    }

    @Override
    public boolean awaitWritable(Duration timeout) throws InterruptedException {
        if (writer.onOwnerThread()) {
            throw new IllegalStateException("awaitWritable would block the reactor thread; use onWritable there");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                if (connectionClosed) {
                    return false;
                }
                if (writer.connection().isWritable()) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // Woken by writabilityChanged; the bounded wait also covers a change seen late.
                long millis = Math.min(Math.max(1, left / 1_000_000), 50);
                lock.wait(millis);
            }
        }
    }

    @Override
    public boolean isOpen() {
        return !closed && !connectionClosed;
    }

    private void reserve(int count) {
        long before = written.getAndAdd(count);
        if (before + count > declaredLength) {
            written.getAndAdd(-count);
            throw new IllegalStateException("writing " + count + " more bytes would exceed the declared Content-Length of "
                    + declaredLength + " (" + before + " written); nothing of this write was sent");
        }
    }

    @Override
    public ResponseStream onClose(Consumer<Throwable> action) {
        response.onEnd(Objects.requireNonNull(action, "action"));
        return this;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (connectionClosed) {
            return; // cut already: the response has ended
        }
        long sent = written == null ? declaredLength : written.get();
        if (sent < declaredLength) {
            writer.endStreamShort(this, sent, declaredLength);
        } else {
            writer.endStream(this, chunked && !discard);
        }
    }

    /** Reactor thread: the connection's writability changed. */
    void writabilityChanged(boolean writable) {
        if (writable) {
            runWritableAction();
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    /** Reactor thread: the connection closed; waiters give up, pending actions are dropped. */
    void connectionClosed() {
        connectionClosed = true;
        writableAction.set(null);
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    private void runWritableAction() {
        if (connectionClosed || !writer.connection().isWritable()) {
            return;
        }
        Runnable action = writableAction.getAndSet(null);
        if (action != null) {
            action.run();
        }
    }
}
