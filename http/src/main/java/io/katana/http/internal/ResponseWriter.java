package io.katana.http.internal;

import io.katana.reactor.Connection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes and writes the responses of one HTTP connection: whole responses, streamed ones (head,
 * chunks, end), {@code 100 Continue} and the server's own error answers.
 *
 * <p><b>One flush per batch.</b> While the connection handles a read ({@link #beginBatch()} to {@link
 * #endBatch()}) responses are queued and flushed once at the end, so pipelined responses leave in one
 * gathering write. Outside a batch each response is flushed as it completes.
 *
 * <p><b>Threading:</b> {@link #send}, {@link #startStream}, {@link #writeChunk} and {@link #endStream}
 * may be called from any thread. On the reactor thread they encode into the reactor's shared encoder;
 * elsewhere into arrays of their own, and hand what must happen after the write (the next request) to
 * the reactor. Everything else runs on the reactor thread.
 */
final class ResponseWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseWriter.class);

    /** Bodies up to this size are copied behind the head, so a response leaves in one write. */
    private static final int COPY_BODY_LIMIT = 16 * 1024;

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpConnection exchange;
    private final ServerConfig config;
    private Connection connection;
    private ResponseEncoder encoder;
    /** The streamed response in progress on the reactor thread, told of writability and close. */
    private ServerResponseStream stream;
    private boolean batching;
    private boolean pendingFlush;

    ResponseWriter(HttpConnection exchange, ServerConfig config) {
        this.exchange = exchange;
        this.config = config;
    }

    /** Reactor thread: the connection opened. */
    void open(Connection opened) {
        connection = opened;
        encoder = ResponseEncoder.forReactorThread();
    }

    Connection connection() {
        return connection;
    }

    boolean onOwnerThread() {
        return exchange.onOwnerThread();
    }

    void runOnReactor(Runnable task) {
        exchange.runOnReactor(task);
    }

    // ------------------------------------------------------------------ whole responses

    /** Any thread: completes {@code res} with one of the bodies (all null for none). */
    void send(ServerResponse res, String text, byte[] bytes, ByteBuffer buffer) {
        long length;
        String defaultType;
        int utf8Length = 0;
        if (text != null) {
            utf8Length = ResponseEncoder.utf8Length(text);
            length = utf8Length;
            defaultType = ServerResponse.defaultContentType(true);
        } else if (bytes != null) {
            length = bytes.length;
            defaultType = ServerResponse.defaultContentType(false);
        } else if (buffer != null) {
            length = buffer.remaining();
            defaultType = ServerResponse.defaultContentType(false);
        } else {
            length = 0;
            defaultType = null;
        }
        boolean withBody = length > 0 && !res.isHeadRequest() && !StatusLines.forbidsContent(res.status());
        if (onOwnerThread() && exchange.isCurrent(res)) {
            ResponseEncoder out = encoder.reset();
            res.encodeHead(out, length, defaultType, config.serverLine());
            if (withBody) {
                if (text != null) {
                    out.putUtf8(text, utf8Length);
                } else if (length <= COPY_BODY_LIMIT) {
                    out.put(bytes != null ? ByteBuffer.wrap(bytes) : buffer);
                } else {
                    connection.write(out.buffer());
                    out.reset();
                    connection.write(bytes != null ? ByteBuffer.wrap(bytes) : buffer.duplicate());
                }
            }
            if (out.length() > 0) {
                connection.write(out.buffer());
            }
            exchange.responseDone(res);
            return;
        }
        ResponseEncoder out = new ResponseEncoder(256 + (withBody ? (int) length : 0));
        res.encodeHead(out, length, defaultType, config.serverLine());
        if (withBody) {
            if (text != null) {
                out.putUtf8(text, utf8Length);
            } else {
                out.put(bytes != null ? ByteBuffer.wrap(bytes) : buffer);
            }
        }
        byte[] encoded = out.toArray();
        runOnReactor(() -> deliver(res, encoded));
    }

    /**
     * Any thread: completes {@code res} with a region of {@code file} as its body of known length,
     * queued after the head with {@link Connection#sendFile} so its bytes go from the file to the
     * socket. On the reactor thread the file is opened at once and a failure is thrown to the handler;
     * elsewhere it is opened on the reactor, in the response's turn, and a failure there is logged. A
     * head already queued cannot be taken back, so either way a failure aborts the connection: the
     * client sees the answer cut short rather than a bodiless one it would take as whole.
     */
    void sendFile(ServerResponse res, Path file, long position, long count) throws IOException {
        boolean withBody = count > 0 && !res.isHeadRequest() && !StatusLines.forbidsContent(res.status());
        String defaultType = ServerResponse.defaultContentType(false);
        if (onOwnerThread() && exchange.isCurrent(res)) {
            ResponseEncoder out = encoder.reset();
            res.encodeHead(out, count, defaultType, config.serverLine());
            connection.write(out.buffer());
            try {
                if (withBody) {
                    connection.sendFile(file, position, count);
                }
            } catch (IOException | RuntimeException e) {
                res.abandon(e);
                connection.abort();
                throw e;
            }
            exchange.responseDone(res);
            return;
        }
        ResponseEncoder out = new ResponseEncoder(256);
        res.encodeHead(out, count, defaultType, config.serverLine());
        byte[] head = out.toArray();
        runOnReactor(() -> {
            if (exchange.isClosed()) {
                res.abandon(new IOException("the connection closed before the response was written"));
                return;
            }
            if (res.isAbandoned()) {
                return; // the request timeout answered in its place
            }
            connection.write(ByteBuffer.wrap(head));
            if (withBody) {
                try {
                    connection.sendFile(file, position, count);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("{}: cannot send {} (bytes {} to {}); closing the connection", connection, file,
                            position, position + count, e);
                    res.abandon(e);
                    connection.abort();
                    return;
                }
            }
            exchange.responseDone(res);
        });
    }

    private void deliver(ServerResponse res, byte[] encoded) {
        if (exchange.isClosed()) {
            res.abandon(new IOException("the connection closed before the response was written"));
            return;
        }
        if (res.isAbandoned()) {
            return; // the request timeout answered in its place
        }
        connection.write(ByteBuffer.wrap(encoded));
        exchange.responseDone(res);
    }

    // ------------------------------------------------------------------ streamed responses

    /**
     * Any thread: sends the head of a streamed response and returns its stream.
     *
     * @param contentLength the body's declared length, or -1 for chunks (to HTTP/1.0: until the close)
     */
    ServerResponseStream startStream(ServerResponse res, long contentLength) {
        if (contentLength < 0 && res.streamEndsWithClose()) {
            res.forceClose(); // an HTTP/1.0 client learns where the body ends only from the close
        }
        ServerResponseStream started = new ServerResponseStream(this, res, contentLength);
        if (onOwnerThread() && exchange.isCurrent(res)) {
            stream = started;
            ResponseEncoder out = encoder.reset();
            res.encodeHead(out, contentLength, null, config.serverLine());
            connection.write(out.buffer());
            flushSoon();
        } else {
            ResponseEncoder out = new ResponseEncoder(256);
            res.encodeHead(out, contentLength, null, config.serverLine());
            connection.write(ByteBuffer.wrap(out.toArray()));
            connection.flush();
            runOnReactor(() -> {
                if (!exchange.isClosed()) {
                    stream = started;
                }
            });
        }
        return started;
    }

    /** Any thread: sends one chunk of a streamed body. */
    void writeChunk(ServerResponseStream of, ByteBuffer data) {
        int length = data.remaining();
        boolean chunked = of.chunked();
        if (onOwnerThread()) {
            ResponseEncoder out = encoder.reset();
            if (chunked) {
                out.putHex(length).crlf();
            }
            if (length <= COPY_BODY_LIMIT) {
                out.put(data);
                data.position(data.limit());
            } else {
                connection.write(out.buffer());
                out.reset();
                connection.write(data);
            }
            if (chunked) {
                out.crlf();
            }
            connection.write(out.buffer());
            flushSoon();
            return;
        }
        ResponseEncoder out = new ResponseEncoder(length + 16);
        if (chunked) {
            out.putHex(length).crlf();
        }
        out.put(data);
        data.position(data.limit());
        if (chunked) {
            out.crlf();
        }
        connection.write(ByteBuffer.wrap(out.toArray()));
        connection.flush();
    }

    /** Any thread: a stream of known length closed short of it; the connection is aborted. */
    void endStreamShort(ServerResponseStream of, long written, long declared) {
        IllegalStateException why = new IllegalStateException("the stream was closed after " + written + " of its "
                + declared + " declared bytes; the connection was aborted so the client does not take the body as whole");
        LOG.warn("{}: {}", of.response().describeRequest(), why.getMessage());
        exchange.abortExchange(of.response(), why);
    }

    /** Any thread: ends a streamed body and completes its response. */
    void endStream(ServerResponseStream of, boolean lastChunk) {
        if (lastChunk) {
            connection.write(ByteBuffer.wrap(LAST_CHUNK));
        }
        if (onOwnerThread()) {
            streamDone(of);
        } else {
            runOnReactor(() -> streamDone(of));
        }
    }

    private void streamDone(ServerResponseStream of) {
        if (stream == of) {
            stream = null;
        }
        if (exchange.isClosed()) {
            of.response().abandon(new IOException("the connection closed before the streamed response ended"));
            return;
        }
        exchange.responseDone(of.response());
    }

    /** Reactor thread: passes a writability change to the stream in progress, if any. */
    void writabilityChanged(boolean writable) {
        if (stream != null) {
            stream.writabilityChanged(writable);
        }
    }

    /** Reactor thread: the connection closed; a stream in progress gives up its waiters. */
    void connectionClosed() {
        if (stream != null) {
            stream.connectionClosed();
            stream = null;
        }
    }

    // ------------------------------------------------------------------ the server's own answers

    /** Reactor thread: {@code 100 Continue}, sent with the batch. */
    void writeContinue() {
        connection.write(ByteBuffer.wrap(CONTINUE));
        pendingFlush = true;
    }

    /** Reactor thread: a plain-text error answer with {@code Connection: close}, flushed at once. */
    void writeErrorAnswer(int status, String reason) {
        writeServerAnswer(status, reason, true, false);
        pendingFlush = false;
        connection.flush();
    }

    /**
     * Reactor thread: a plain-text answer of the server's own, queued with the batch.
     *
     * @param close whether to say {@code Connection: close}
     * @param headRequest whether to leave the body out (the head still gives its length)
     */
    void writeServerAnswer(int status, String reason, boolean close, boolean headRequest) {
        String body = status + " " + StatusLines.reason(status) + ": " + reason + "\n";
        ResponseEncoder out = encoder.reset();
        out.put(StatusLines.line(status));
        if (config.serverLine() != null) {
            out.put(config.serverLine());
        }
        out.put(DateHeader.line())
                .putLatin1("Content-Type: text/plain; charset=utf-8\r\nContent-Length: ")
                .putDecimal(body.length())
                .putLatin1(close ? "\r\nConnection: close\r\n\r\n" : "\r\n\r\n");
        if (!headRequest) {
            out.putLatin1(body);
        }
        connection.write(out.buffer());
    }

    // ------------------------------------------------------------------ flushing

    /** Reactor thread: a read is being handled; responses wait for {@link #endBatch()} to be flushed. */
    void beginBatch() {
        batching = true;
    }

    /** Reactor thread: the read is handled; flushes what its responses queued, in one write. */
    void endBatch() {
        batching = false;
        if (pendingFlush) {
            pendingFlush = false;
            connection.flush();
        }
    }

    /** Reactor thread: flushes now, or with the batch in progress. */
    void flushSoon() {
        if (batching) {
            pendingFlush = true;
        } else {
            connection.flush();
        }
    }
}
