package io.katana.http.internal;

import io.katana.http.HttpHeaders;
import io.katana.http.RequestBody;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link RequestBody} over a body the server has already read whole, for handlers that are not
 * streaming: one chunk, then the end, so code written for a streamed body runs unchanged.
 *
 * <p><b>Threading:</b> as {@link RequestBody}: the listener is called on the reactor thread.
 */
final class BufferedBody implements RequestBody {

    private final HttpConnection exchange;
    private final byte[] bytes;
    private final HttpHeaders trailers;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile boolean paused;
    /** Reactor thread: the listener, until it has had the end. */
    private Listener listener;
    private boolean dataDelivered;

    BufferedBody(HttpConnection exchange, byte[] bytes, HttpHeaders trailers) {
        this.exchange = exchange;
        this.bytes = bytes;
        this.trailers = trailers;
    }

    @Override
    public long contentLength() {
        return bytes.length;
    }

    @Override
    public void subscribe(Listener subscriber) {
        Objects.requireNonNull(subscriber, "listener");
        claim();
        Runnable start = () -> {
            listener = subscriber;
            deliver();
        };
        if (exchange.onOwnerThread()) {
            start.run();
        } else {
            exchange.runOnReactor(start);
        }
    }

    private void deliver() {
        Listener to = listener;
        if (to == null || paused) {
            return;
        }
        try {
            if (!dataDelivered) {
                dataDelivered = true;
                if (bytes.length > 0) {
                    to.onData(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
                }
                if (paused) {
                    return;
                }
            }
            listener = null;
            to.onEnd(trailers);
        } catch (Throwable t) {
            listener = null;
            exchange.bodyConsumerFailed(t);
        }
    }

    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void resume() {
        if (paused) {
            paused = false;
            exchange.runOnReactor(this::deliver);
        }
    }

    @Override
    public InputStream inputStream() {
        claim();
        return new ByteArrayInputStream(bytes);
    }

    private void claim() {
        if (!claimed.compareAndSet(false, true)) {
            throw new IllegalStateException("the request body is read once: it was already subscribed to or opened as a stream");
        }
    }
}
