package io.katana.http.internal;

import io.katana.http.HttpHeaders;
import io.katana.http.HttpStatusException;
import io.katana.http.RequestBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The body of a request to a {@linkplain io.katana.http.HttpHandler#streaming streaming} handler,
 * passed on as it arrives. The connection {@linkplain #feed feeds} it the bytes it reads while it
 * {@linkplain #wantsBytes() wants} them, and pauses reading otherwise, so a slow consumer slows the
 * client down through TCP instead of filling memory: an event listener gets slices of the reactor's
 * buffer (no copy) and pauses when it likes; a blocking stream holds at most {@link #STREAM_BYTES}
 * copied bytes before the connection stops reading.
 *
 * <p><b>Threading:</b> {@link #feed}, {@link #wantsBytes()}, {@link #fail} and the listener's calls on
 * the reactor thread; {@link #subscribe}, {@link #pause()}, {@link #resume()} from any thread (they hand
 * their effect to the reactor); the input stream on its one reading thread.
 */
final class StreamedBody implements RequestBody, ChunkedDecoder.Sink {

    /** Decoded bytes a blocking reader may have waiting before the connection stops reading. */
    static final int STREAM_BYTES = 256 * 1024;

    private final HttpConnection exchange;
    private final long contentLength;
    private final ChunkedDecoder decoder;
    private final AtomicBoolean claimed = new AtomicBoolean();

    // Reactor thread only.
    private long remaining;
    private long received;
    private Listener listener;
    private BlockingStream stream;
    private boolean complete;
    private Throwable failure;
    private boolean consumerFailed;

    private volatile boolean paused;

    /**
     * @param contentLength the announced length, or -1 for a chunked body
     * @param decoder for a chunked body, begun with its limit; null otherwise
     */
    StreamedBody(HttpConnection exchange, long contentLength, ChunkedDecoder decoder) {
        this.exchange = exchange;
        this.contentLength = contentLength;
        this.decoder = decoder;
        this.remaining = Math.max(0, contentLength);
        this.complete = contentLength == 0;
    }

    @Override
    public long contentLength() {
        return contentLength;
    }

    // ------------------------------------------------------------------ consumer side, any thread

    @Override
    public void subscribe(Listener subscriber) {
        Objects.requireNonNull(subscriber, "listener");
        claim();
        onReactor(() -> {
            listener = subscriber;
            started();
        });
    }

    @Override
    public InputStream inputStream() {
        if (exchange.onOwnerThread()) {
            throw new IllegalStateException("a body stream blocks: read it on a blocking handler's thread"
                    + " (HttpHandler.blocking), or subscribe a listener on the reactor thread");
        }
        claim();
        BlockingStream opened = new BlockingStream();
        onReactor(() -> {
            stream = opened;
            started();
        });
        return opened;
    }

    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void resume() {
        if (paused) {
            paused = false;
            exchange.runOnReactor(exchange::bodyDemandChanged); // never nested inside the listener's call
        }
    }

    private void claim() {
        if (!claimed.compareAndSet(false, true)) {
            throw new IllegalStateException("the request body is read once: it was already subscribed to or opened as a stream");
        }
    }

    private void onReactor(Runnable task) {
        if (exchange.onOwnerThread()) {
            task.run();
        } else {
            exchange.runOnReactor(task);
        }
    }

    /** Reactor thread: a consumer is attached; tell it what already happened, or start reading. */
    private void started() {
        if (failure != null) {
            deliverFailure();
        } else if (complete) {
            end(TrailerFields.EMPTY);
        } else {
            exchange.bodyDemandChanged();
        }
    }

    // ------------------------------------------------------------------ connection side, reactor thread

    /** Whether the connection should read and feed more: a consumer is attached, has room, and the body is not over. */
    boolean wantsBytes() {
        return !complete && failure == null && !paused && !consumerFailed
                && (listener != null || (stream != null && stream.hasRoom()));
    }

    boolean isComplete() {
        return complete;
    }

    long received() {
        return received;
    }

    /**
     * Takes body bytes from {@code buf}'s position while the consumer wants them, moving the position
     * past what it took; the rest (more body, or the next request) stays for later.
     *
     * @throws HttpStatusException when the chunked framing is broken or over the limit
     */
    void feed(ByteBuffer buf) {
        while (wantsBytes() && buf.hasRemaining()) {
            int start = buf.position();
            int limit = buf.limit();
            if (decoder == null) {
                int n = (int) Math.min(remaining, limit - start);
                buf.position(start + n);
                remaining -= n;
                data(buf, start, n);
                if (remaining == 0 && !consumerFailed) {
                    end(TrailerFields.EMPTY);
                }
                continue;
            }
            int result = decoder.decode(buf, start, limit);
            buf.position(result == ChunkedDecoder.ERROR ? limit : decoder.position());
            if (result == ChunkedDecoder.ERROR) {
                throw new HttpStatusException(decoder.errorStatus(), decoder.errorReason());
            }
            if (result == ChunkedDecoder.DONE && !consumerFailed) {
                end(decoder.trailers().isEmpty() ? TrailerFields.EMPTY : new TrailerFields(decoder.trailers()));
            }
        }
    }

    @Override
    public boolean data(ByteBuffer src, int from, int count) {
        if (count == 0 || consumerFailed) {
            return !consumerFailed;
        }
        received += count;
        if (listener != null) {
            try {
                listener.onData(src.slice(from, count).asReadOnlyBuffer());
            } catch (Throwable t) {
                consumerFailed(t);
            }
        } else {
            stream.put(src, from, count);
        }
        return wantsBytes();
    }

    private void end(HttpHeaders trailers) {
        complete = true;
        if (listener != null) {
            try {
                listener.onEnd(trailers);
            } catch (Throwable t) {
                consumerFailed(t);
            }
        } else if (stream != null) {
            stream.end();
        }
    }

    private void consumerFailed(Throwable t) {
        consumerFailed = true;
        exchange.bodyConsumerFailed(t);
    }

    /** Reactor thread: the body cannot be read to its end; the consumer hears of it now or when it attaches. */
    void fail(Throwable cause) {
        if (complete || failure != null) {
            return;
        }
        failure = cause;
        if (listener != null || stream != null) {
            deliverFailure();
        }
    }

    private void deliverFailure() {
        if (listener != null) {
            try {
                listener.onError(failure);
            } catch (Throwable t) {
                consumerFailed(t);
            }
        } else {
            stream.fail(failure);
        }
    }

    /** The blocking reader's side: chunks copied off the reactor, handed over under a lock. */
    private final class BlockingStream extends InputStream {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
        private final AtomicBoolean resumeScheduled = new AtomicBoolean();
        private byte[] current;
        private int currentPos;
        /** Bytes queued and not yet read; guarded by lock. */
        private int queued;
        private boolean ended;
        private Throwable error;
        private boolean closed;

        boolean hasRoom() {
            lock.lock();
            try {
                return queued < STREAM_BYTES && !closed;
            } finally {
                lock.unlock();
            }
        }

        void put(ByteBuffer src, int from, int count) {
            byte[] copy = new byte[count];
            src.get(from, copy, 0, count);
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                chunks.add(copy);
                queued += count;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void end() {
            lock.lock();
            try {
                ended = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void fail(Throwable cause) {
            lock.lock();
            try {
                error = cause;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, into.length);
            if (length == 0) {
                return 0;
            }
            if (current == null || currentPos == current.length) {
                if (!next()) {
                    return -1;
                }
            }
            int n = Math.min(length, current.length - currentPos);
            System.arraycopy(current, currentPos, into, offset, n);
            currentPos += n;
            return n;
        }

        /** Waits for the next chunk; false at the end of the body. */
        private boolean next() throws IOException {
            lock.lock();
            try {
                while (chunks.isEmpty()) {
                    if (error instanceof RuntimeException status) {
                        throw status; // an HttpStatusException: the request is answered with its status
                    }
                    if (error != null) {
                        throw new IOException(error.getMessage(), error);
                    }
                    if (ended || closed) {
                        return false;
                    }
                    changed.await();
                }
                current = chunks.poll();
                currentPos = 0;
                boolean hadNoRoom = queued >= STREAM_BYTES;
                queued -= current.length;
                if (hadNoRoom && queued < STREAM_BYTES && resumeScheduled.compareAndSet(false, true)) {
                    exchange.runOnReactor(() -> {
                        resumeScheduled.set(false);
                        exchange.bodyDemandChanged();
                    });
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the request body");
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int available() {
            lock.lock();
            try {
                return (current == null ? 0 : current.length - currentPos) + queued;
            } finally {
                lock.unlock();
            }
        }

        /** Stops taking the body: what is queued is dropped, and the connection no longer reads for it. */
        @Override
        public void close() {
            lock.lock();
            try {
                closed = true;
                chunks.clear();
                queued = 0;
                current = null;
            } finally {
                lock.unlock();
            }
        }
    }
}
