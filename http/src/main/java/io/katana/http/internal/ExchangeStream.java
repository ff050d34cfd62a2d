package io.katana.http.internal;

import io.katana.http.ResponseStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A streamed body on its way out of a composed route: compressed with gzip (each write flushed
 * through the compressor, so the client gets it at once) and counted for the access log line written
 * when it closes.
 *
 * <p><b>Threading:</b> any thread; writes and close are serialised here, as the compressor keeps
 * state between them.
 */
final class ExchangeStream implements ResponseStream {

    private final ResponseStream raw;
    private final GzipEncoder encoder;
    private final AccessLog accessLog;
    private final String logHead;
    private final int status;
    private final String logTail;
    private final boolean countsBody;
    private long bytesSent;
    private boolean closed;

    /**
     * @param encoder compresses the body, or null to send it as written
     * @param accessLog where the line goes on close, or null
     */
    ExchangeStream(ResponseStream raw, GzipEncoder encoder, AccessLog accessLog, String logHead, int status,
                   String logTail, boolean countsBody) {
        this.raw = raw;
        this.encoder = encoder;
        this.accessLog = accessLog;
        this.logHead = logHead;
        this.status = status;
        this.logTail = logTail;
        this.countsBody = countsBody;
    }

    @Override
    public synchronized void write(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        if (closed) {
            throw new IllegalStateException("the response stream is closed");
        }
        if (!data.hasRemaining()) {
            return;
        }
        if (encoder == null) {
            bytesSent += data.remaining();
            raw.write(data);
            return;
        }
        byte[] compressed = encoder.update(data, true);
        bytesSent += compressed.length;
        raw.write(compressed);
    }

    @Override
    public boolean isWritable() {
        return raw.isWritable();
    }

    @Override
    public void onWritable(Runnable action) {
        raw.onWritable(action);
    }

    @Override
    public boolean awaitWritable(Duration timeout) throws InterruptedException {
        return raw.awaitWritable(timeout);
    }

    @Override
    public boolean isOpen() {
        return raw.isOpen();
    }

    @Override
    public ResponseStream onClose(Consumer<Throwable> action) {
        raw.onClose(action);
        return this;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (encoder != null) {
                byte[] last = encoder.finish();
                bytesSent += last.length;
                if (raw.isOpen()) {
                    raw.write(last);
                }
            }
        } finally {
            raw.close();
            if (accessLog != null) {
                accessLog.write(accessLog.line(logHead, status, countsBody ? bytesSent : 0, logTail));
            }
        }
    }
}
