package io.katana.http.internal;

import io.katana.http.HttpHandler;
import io.katana.http.SlowRequestEvent;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ScheduledTask;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import jdk.jfr.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves HTTP/1.1 on one connection: parses requests in place in the reactor's buffer, routes them,
 * runs handlers, writes responses in order, and enforces limits and timeouts.
 *
 * <p><b>Requests, one at a time.</b> Pipelined requests are handled in order, each after the
 * previous one's response is complete. Handlers that answer at once (the usual case) let a whole
 * batch of pipelined requests be answered from one read: each response is written as it completes
 * and the connection is flushed once, after the batch, so the batch leaves in one gathering write. A
 * handler that answers later (or a blocking one) pauses reading until it does; the bytes of requests
 * behind it stay with the reactor, which presents them again on resume.
 *
 * <p><b>No copies on the hot path.</b> A request head and a body that arrived with it are read where
 * they lie. Only when a request must outlive the read callback (blocking or late answer, or a body
 * that arrives over several reads) are its bytes copied.
 *
 * <p><b>Errors.</b> A request the parser refuses, or one over a limit, gets its status and {@code
 * Connection: close}; then the output is shut and what the client still sends is read and discarded
 * for a short while ("lingering close"), so the answer is not destroyed by a TCP reset.
 *
 * <p><b>Timeouts</b> use one deadline per connection and at most one armed timer, re-armed lazily: a
 * keep-alive request only moves the deadline; the timer, when it fires early, re-arms for the rest.
 *
 * <p><b>Threading:</b> the {@link ConnectionHandler} callbacks run on the reactor thread. {@link
 * #send}, {@link #startStream}, {@link #writeChunk} and {@link #endStream} may be called from any
 * thread; off the reactor thread they encode into arrays of their own and hand the writing over.
 */
public final class HttpConnection implements ConnectionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);

    private static final int READING = 0;
    private static final int PROCESSING = 1;
    private static final int LINGERING = 2;
    private static final int CLOSED = 3;

    private static final int NO_DEADLINE = 0;
    private static final int FIRST_REQUEST = 1;
    private static final int HEAD_DEADLINE = 2;
    private static final int BODY_DEADLINE = 3;
    private static final int IDLE_DEADLINE = 4;
    private static final int LINGER_DEADLINE = 5;
    private static final int WRITE_STALL_DEADLINE = 6;

    private static final int NO_BODY = 0;
    private static final int LENGTH_BODY = 1;
    private static final int CHUNKED_BODY = 2;

    /** Bodies up to this size are copied behind the head, so a response leaves in one write. */
    private static final int COPY_BODY_LIMIT = 16 * 1024;

    /** How often the rate of a request body is looked at once its grace is over. */
    private static final long BODY_RATE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerConfig config;
    private final RequestHeadParser parser;
    /** Made on the first chunked request: most connections never see one, and an idle connection should be small. */
    private ChunkedDecoder chunkedDecoder;
    private final BodyBuffer bodyBuffer = new BodyBuffer();
    private final Runnable timerAction = this::onTimer;

    private Connection connection;
    private Thread owner;
    private ResponseEncoder encoder;

    private int state = READING;
    private RequestHead head;
    private ServerRequest request;
    private ServerResponse response;
    private ServerResponseStream stream;
    private boolean headInProgress;
    private long requestStart;
    /** The slow-request event of the request being handled, only while a recording enables it. */
    private SlowRequestEvent slowRequest;
    private int bodyMode = NO_BODY;
    private long bodyRemaining;
    /** When the body being collected began (its head complete), and how many of its bytes have come. */
    private long bodyStartNanos;
    private long bodyBytesReceived;
    private long bodyIdleDeadline;
    private boolean bodyInBuffer;
    private boolean dispatching;
    private boolean pendingFlush;
    private boolean inputClosed;
    /** The group is shutting down: answer the request in flight (with {@code Connection: close}), then close. */
    private boolean draining;
    private boolean pausedForResponse;
    private boolean pausedForWritability;
    private boolean readingPaused;
    private ByteBuffer currentInput;
    private int answeredInRead;

    private ScheduledTask timer;
    private long timerDue;
    private long deadline;
    private int deadlineKind = NO_DEADLINE;

    public HttpConnection(ServerConfig config) {
        this.config = config;
        this.parser = new RequestHeadParser(config.limits(), config.dropUnderscoreHeaders());
    }

    // ------------------------------------------------------------------ accessors for request/response

    Connection connection() {
        return connection;
    }

    Thread owner() {
        return owner;
    }

    boolean onOwnerThread() {
        return Thread.currentThread() == owner;
    }

    void runOnReactor(Runnable task) {
        try {
            connection.reactor().execute(task);
        } catch (RejectedExecutionException e) {
            // The reactor has shut down and closed this connection; there is nothing left to do.
        }
    }

    // ------------------------------------------------------------------ ConnectionHandler

    @Override
    public void onOpen(Connection opened) {
        connection = opened;
        owner = Thread.currentThread();
        encoder = ResponseEncoder.forReactorThread();
        long now = System.nanoTime();
        setDeadline(FIRST_REQUEST, now + config.headerReadNanos(), now);
    }

    @Override
    public void onRead(Connection from, ByteBuffer data) {
        if (state != READING) {
            if (state == PROCESSING) {
                updatePause(); // keep the bytes; they are presented again when the response is done
            } else {
                data.position(data.limit()); // lingering or closed: discard
            }
            return;
        }
        long now = System.nanoTime();
        currentInput = data;
        try {
            readRequests(data, now);
        } finally {
            currentInput = null;
            flushIfPending();
            if (answeredInRead > 0) {
                connection.reactor().recordRequests(answeredInRead); // once per read, for the reactor's stats
                answeredInRead = 0;
            }
        }
        if (state == READING) {
            if (bodyMode != NO_BODY) {
                bodyIdleDeadline = now + config.keepAliveNanos();
                setDeadline(BODY_DEADLINE, nextBodyCheck(now), now);
            } else if (headInProgress) {
                setDeadline(HEAD_DEADLINE, requestStart + config.headerReadNanos(), now);
            } else {
                setDeadline(IDLE_DEADLINE, now + config.keepAliveNanos(), now);
            }
        }
    }

    @Override
    public void onWritabilityChanged(Connection from, boolean writable) {
        if (state == PROCESSING) {
            // A client that stops reading must not hold a streamed response open forever. Set before the
            // stream hears of it: its writable action runs right here and may make the connection
            // unwritable again, and that nested change's stall deadline must be the one that stays.
            long now = System.nanoTime();
            setDeadline(writable ? NO_DEADLINE : WRITE_STALL_DEADLINE, now + config.keepAliveNanos(), now);
        }
        if (stream != null) {
            stream.writabilityChanged(writable);
        }
        if (writable && pausedForWritability) {
            pausedForWritability = false;
            updatePause();
        }
    }

    @Override
    public void onInputClosed(Connection from) {
        inputClosed = true;
        if (state == READING || state == LINGERING) {
            // An incomplete request is abandoned; nothing is owed for it.
            closeNow();
        }
        // PROCESSING: the response is still owed; the connection closes after it.
    }

    @Override
    public void onShutdown(Connection from) {
        draining = true;
        if (state == READING && !headInProgress && bodyMode == NO_BODY) {
            closeNow(); // idle between requests: nothing is owed
        } else if (state == PROCESSING) {
            response.forceClose(); // a head not yet sent says Connection: close (RFC 9112 section 9.6)
        }
        // A request being read or answered is finished first; responseDone then closes. LINGERING
        // already ends by itself.
    }

    @Override
    public void onClose(Connection from, Throwable cause) {
        state = CLOSED;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (stream != null) {
            stream.connectionClosed();
            stream = null;
        }
        bodyBuffer.clear();
    }

    // ------------------------------------------------------------------ reading requests

    private void readRequests(ByteBuffer buf, long now) {
        while (state == READING && !pausedForWritability) {
            if (bodyMode != NO_BODY) {
                if (!continueBody(buf)) {
                    return;
                }
                continue;
            }
            int start = buf.position();
            int limit = buf.limit();
            if (start == limit) {
                return;
            }
            if (!headInProgress) {
                newExchange();
                parser.begin(head);
                headInProgress = true;
                requestStart = now;
            }
            int result = parser.parse(buf, start, limit);
            if (result == RequestHeadParser.NEED_MORE) {
                return;
            }
            headInProgress = false;
            if (result == RequestHeadParser.ERROR) {
                buf.position(limit);
                reject(parser.errorStatus(), parser.errorReason());
                return;
            }
            if (head.targetForm() == RequestHead.AUTHORITY_FORM) {
                buf.position(limit);
                reject(501, "CONNECT is not supported: this is an origin server, not a proxy");
                return;
            }
            int bodyStart = start + head.length();
            if (head.isChunked()) {
                bodyBuffer.clear();
                if (chunkedDecoder == null) {
                    chunkedDecoder = new ChunkedDecoder(config.limits());
                }
                chunkedDecoder.begin(bodyBuffer);
                int decoded = chunkedDecoder.decode(buf, bodyStart, limit);
                if (decoded == ChunkedDecoder.ERROR) {
                    buf.position(limit);
                    reject(chunkedDecoder.errorStatus(), chunkedDecoder.errorReason());
                    return;
                }
                if (decoded == ChunkedDecoder.NEED_MORE) {
                    awaitBody(buf, bodyStart, CHUNKED_BODY, now);
                    return;
                }
                buf.position(chunkedDecoder.position());
                dispatchCollected(chunkedDecoder.trailers());
            } else if (head.contentLength() > 0) {
                long length = head.contentLength();
                if (limit - bodyStart >= length) {
                    buf.position(bodyStart + (int) length);
                    request.begin(head, buf, bodyStart, (int) length);
                    dispatch();
                } else {
                    bodyBuffer.clear();
                    bodyBuffer.expect(length);
                    bodyBuffer.append(buf, bodyStart, limit - bodyStart);
                    bodyRemaining = length - (limit - bodyStart);
                    awaitBody(buf, bodyStart, LENGTH_BODY, now);
                    return;
                }
            } else {
                buf.position(bodyStart);
                request.begin(head, buf, bodyStart, 0);
                dispatch();
            }
            if (state == READING && !connection.isWritable()) {
                // The client sends requests faster than it reads responses: stop reading until it catches up.
                pausedForWritability = true;
                updatePause();
            }
        }
    }

    /** The head is complete but its body is not: copy the head out and collect the body as it comes. */
    private void awaitBody(ByteBuffer buf, int bodyStartIndex, int mode, long now) {
        boolean noBodyBytesYet = bodyStartIndex == buf.limit();
        bodyStartNanos = now;
        bodyBytesReceived = buf.limit() - bodyStartIndex;
        if (noBodyBytesYet && head.expectContinue()) {
            connection.write(ByteBuffer.wrap(CONTINUE));
            pendingFlush = true;
        }
        head.detach();
        buf.position(buf.limit());
        bodyMode = mode;
    }

    /** Feeds body bytes of the request being collected. @return whether the request was dispatched */
    private boolean continueBody(ByteBuffer buf) {
        int start = buf.position();
        int limit = buf.limit();
        bodyBytesReceived += limit - start;
        if (bodyMode == LENGTH_BODY) {
            int n = (int) Math.min(bodyRemaining, limit - start);
            bodyBuffer.append(buf, start, n);
            buf.position(start + n);
            bodyRemaining -= n;
            if (bodyRemaining > 0) {
                return false;
            }
            bodyMode = NO_BODY;
            dispatchCollected(List.of());
            return true;
        }
        int decoded = chunkedDecoder.decode(buf, start, limit);
        if (decoded == ChunkedDecoder.ERROR) {
            buf.position(limit);
            bodyMode = NO_BODY;
            reject(chunkedDecoder.errorStatus(), chunkedDecoder.errorReason());
            return false;
        }
        buf.position(chunkedDecoder.position());
        if (decoded == ChunkedDecoder.NEED_MORE) {
            return false;
        }
        bodyMode = NO_BODY;
        dispatchCollected(chunkedDecoder.trailers());
        return true;
    }

    private void dispatchCollected(List<String> trailers) {
        request.begin(head, bodyBuffer.array(), bodyBuffer.length(), trailers);
        bodyInBuffer = true;
        dispatch();
    }

    /** Makes sure there are request and response objects for the next request. */
    private void newExchange() {
        if (request == null) {
            head = new RequestHead();
            request = new ServerRequest(this);
            response = new ServerResponse(this);
        }
    }

    // ------------------------------------------------------------------ dispatching

    private void dispatch() {
        ServerRequest req = request;
        ServerResponse res = response;
        res.begin(head);
        if (draining) {
            res.forceClose(); // tell the client this is the last response on this connection
        }
        if (SlowRequests.TYPE.isEnabled()) {
            slowRequest = new SlowRequestEvent();
            slowRequest.method = String.valueOf(head.method());
            slowRequest.target = head.latin1(head.targetStart(), head.targetEnd());
            slowRequest.begin();
        }
        if (head.targetForm() == RequestHead.ASTERISK_FORM) {
            res.status(204).header("Allow", config.router().allowAll()).send(); // OPTIONS *
            afterDispatch(req, res);
            return;
        }
        RouteMatch match = req.match();
        config.router().match(head, match);
        HttpHandler handler = switch (match.outcome()) {
            case RouteMatch.FOUND -> match.route().handler();
            case RouteMatch.NOT_FOUND -> config.notFound();
            default -> null;
        };
        if (handler != null) {
            if (handler.isBlocking()) {
                if (slowRequest != null) {
                    slowRequest.blocking = true;
                }
                goAsync(req);
                config.blockingExecutor().execute(() -> runBlocking(handler, req, res));
                return;
            }
            dispatching = true;
            try {
                handler.handle(req, res);
            } catch (Throwable t) {
                handlerFailed(req, res, t);
            } finally {
                dispatching = false;
            }
            afterDispatch(req, res);
            return;
        }
        switch (match.outcome()) {
            case RouteMatch.NOT_FOUND -> res.status(404).send("Not Found\n");
            case RouteMatch.METHOD_NOT_ALLOWED -> res.status(405).header("Allow", match.allow()).send("Method Not Allowed\n");
            case RouteMatch.OPTIONS -> res.status(204).header("Allow", match.allow()).send();
            default -> res.status(501).send("Not Implemented\n");
        }
        afterDispatch(req, res);
    }

    private void afterDispatch(ServerRequest req, ServerResponse res) {
        if (res.phase() == ServerResponse.DONE) {
            if (bodyInBuffer) {
                bodyInBuffer = false;
                bodyBuffer.clear();
            }
            if (!req.finish()) {
                request = null; // another thread still looks at it: do not reuse
            }
        } else if (state == READING) {
            goAsync(req);
        }
    }

    /** The response will come later: make the request independent of the read buffer and stop reading. */
    private void goAsync(ServerRequest req) {
        req.detach();
        if (bodyInBuffer) {
            bodyInBuffer = false;
            bodyBuffer.take(); // the request keeps the array
        }
        state = PROCESSING;
        if (connection.isWritable()) {
            deadlineKind = NO_DEADLINE;
        } else {
            // The handler filled the queue before returning (a streamed body the client does not read):
            // the writability change came while still READING, so the stall deadline starts here.
            long now = System.nanoTime();
            setDeadline(WRITE_STALL_DEADLINE, now + config.keepAliveNanos(), now);
        }
        updatePause();
    }

    private void runBlocking(HttpHandler handler, ServerRequest req, ServerResponse res) {
        try {
            handler.handle(req, res);
        } catch (Throwable t) {
            handlerFailed(req, res, t);
        }
    }

    private void handlerFailed(ServerRequest req, ServerResponse res, Throwable failure) {
        RequestHead failedHead = req.head();
        String target = failedHead.latin1(failedHead.targetStart(), failedHead.targetEnd());
        // One line at ERROR, the stack trace at DEBUG: a failing route must not flood the log.
        LOG.error("handler for {} {} threw {}; answered 500", failedHead.method(), target, failure.toString());
        LOG.debug("stack trace of the failure in the handler for {} {}", failedHead.method(), target, failure);
        switch (res.phase()) {
            case ServerResponse.OPEN -> {
                res.begin(failedHead);
                res.status(500).send("Internal Server Error\n");
            }
            case ServerResponse.STREAMING -> connection.abort(); // the body is cut short: the client must see it
            default -> { } // the response was already sent
        }
    }

    // ------------------------------------------------------------------ writing responses

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
        if (onOwnerThread() && res == response && state != CLOSED) {
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
            responseDone(res);
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

    private void deliver(ServerResponse res, byte[] encoded) {
        if (state == CLOSED) {
            res.markDone();
            return;
        }
        connection.write(ByteBuffer.wrap(encoded));
        responseDone(res);
    }

    /** Any thread: sends the head of a streamed response and returns its stream. */
    ServerResponseStream startStream(ServerResponse res) {
        if (res.streamEndsWithClose()) {
            res.forceClose(); // an HTTP/1.0 client learns where the body ends only from the close
        }
        ServerResponseStream started = new ServerResponseStream(this, res);
        if (onOwnerThread() && res == response && state != CLOSED) {
            stream = started;
            ResponseEncoder out = encoder.reset();
            res.encodeHead(out, -1, null, config.serverLine());
            connection.write(out.buffer());
            flushSoon();
        } else {
            ResponseEncoder out = new ResponseEncoder(256);
            res.encodeHead(out, -1, null, config.serverLine());
            connection.write(ByteBuffer.wrap(out.toArray()));
            connection.flush();
            runOnReactor(() -> {
                if (state != CLOSED) {
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

    /** Any thread: ends a streamed body and completes its response. */
    void endStream(ServerResponseStream of, boolean lastChunk) {
        byte[] last = lastChunk ? "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII) : null;
        if (onOwnerThread()) {
            if (last != null) {
                connection.write(ByteBuffer.wrap(last));
            }
            streamDone(of);
            return;
        }
        if (last != null) {
            connection.write(ByteBuffer.wrap(last));
        }
        runOnReactor(() -> streamDone(of));
    }

    private void streamDone(ServerResponseStream of) {
        if (stream == of) {
            stream = null;
        }
        if (state == CLOSED) {
            of.response().markDone();
            return;
        }
        responseDone(of.response());
    }

    /** Reactor thread: {@code res} has been written; go on with the next request, or close. */
    private void responseDone(ServerResponse res) {
        res.markDone();
        if (slowRequest != null) {
            reportIfSlow(res);
        }
        countAnswered();
        flushSoon();
        boolean close = res.closesConnection() || inputClosed || draining;
        if (state == PROCESSING) {
            // The exchange escaped to other threads: the next request gets fresh objects.
            request = null;
            response = null;
            head = null;
            state = READING;
            if (close) {
                lingerOrClose(true);
                return;
            }
            updatePause();
            long now = System.nanoTime();
            setDeadline(IDLE_DEADLINE, now + config.keepAliveNanos(), now);
            return;
        }
        if (close && state == READING) {
            lingerOrClose(currentInput != null && currentInput.hasRemaining());
        }
    }

    private void reportIfSlow(ServerResponse res) {
        SlowRequestEvent event = slowRequest;
        slowRequest = null;
        event.end();
        if (event.shouldCommit()) {
            event.status = res.status();
            event.backend = connection.reactor().group().backend();
            event.commit();
        }
    }

    /** Looked up once: whether a recording wants slow-request events is then one volatile read. */
    private static final class SlowRequests {
        static final EventType TYPE = EventType.getEventType(SlowRequestEvent.class);
    }

    private void flushSoon() {
        if (dispatching || currentInput != null) {
            pendingFlush = true; // the batch is flushed once, when the read callback ends
        } else {
            connection.flush();
        }
    }

    private void flushIfPending() {
        if (pendingFlush) {
            pendingFlush = false;
            connection.flush();
        }
    }

    // ------------------------------------------------------------------ errors and closing

    /** Answers a request that cannot be served, then closes (lingering). Reactor thread, READING. */
    private void reject(int status, String reason) {
        headInProgress = false;
        bodyMode = NO_BODY;
        if (bodyInBuffer) {
            bodyInBuffer = false;
            bodyBuffer.clear();
        }
        String body = status + " " + StatusLines.reason(status) + ": " + reason + "\n";
        ResponseEncoder out = encoder.reset();
        out.put(StatusLines.line(status));
        if (config.serverLine() != null) {
            out.put(config.serverLine());
        }
        out.put(DateHeader.line())
                .putLatin1("Content-Type: text/plain; charset=utf-8\r\nContent-Length: ")
                .putDecimal(body.length())
                .putLatin1("\r\nConnection: close\r\n\r\n")
                .putLatin1(body);
        connection.write(out.buffer());
        pendingFlush = false;
        connection.flush();
        countAnswered();
        lingerOrClose(true);
    }

    private void countAnswered() {
        if (currentInput != null) {
            answeredInRead++;
        } else {
            connection.reactor().recordRequests(1);
        }
    }

    /**
     * Ends the connection after a final answer. With unread input (or input that may still come),
     * shuts the output and reads on, discarding, until the client closes or the linger time passes;
     * otherwise closes at once.
     */
    private void lingerOrClose(boolean unreadInput) {
        if (currentInput != null) {
            currentInput.position(currentInput.limit()); // RFC 9112 section 9.6: no request after a close
        }
        if (!unreadInput || inputClosed) {
            closeNow();
            return;
        }
        state = LINGERING;
        headInProgress = false;
        bodyMode = NO_BODY;
        connection.shutdownOutput();
        updatePause();
        long now = System.nanoTime();
        setDeadline(LINGER_DEADLINE, now + config.lingerNanos(), now);
    }

    private void closeNow() {
        state = CLOSED;
        connection.close();
    }

    /** The client has not read what it was sent for a whole idle period: a graceful close would wait on it too. */
    private void abortStalled() {
        LOG.debug("{}: the client stopped reading responses; aborting", connection);
        state = CLOSED;
        connection.abort();
    }

    private void updatePause() {
        boolean pause = state == PROCESSING || (state == READING && pausedForWritability);
        if (pause && !readingPaused) {
            readingPaused = true;
            connection.pauseReading();
        } else if (!pause && readingPaused) {
            readingPaused = false;
            connection.resumeReading();
        }
    }

    // ------------------------------------------------------------------ timeouts

    private void setDeadline(int kind, long at, long now) {
        deadlineKind = kind;
        deadline = at;
        if (state == CLOSED || kind == NO_DEADLINE) {
            return;
        }
        if (timer != null && timerDue - at <= 0) {
            return; // the armed timer fires first and re-arms for what is left
        }
        if (timer != null) {
            timer.cancel();
        }
        timerDue = at;
        timer = connection.reactor().schedule(Math.max(0, at - now), TimeUnit.NANOSECONDS, timerAction);
    }

    /**
     * When to look at the body being collected next: when it will have idled too long, or, with a
     * minimum rate, once its grace (the head timeout) is over and then every second.
     */
    private long nextBodyCheck(long now) {
        if (config.minBodyRate() == 0) {
            return bodyIdleDeadline;
        }
        long graceEnd = bodyStartNanos + config.headerReadNanos();
        long rateCheck = now - graceEnd < 0 ? graceEnd : now + BODY_RATE_CHECK_NANOS;
        return rateCheck - bodyIdleDeadline < 0 ? rateCheck : bodyIdleDeadline;
    }

    /** Whether the body has averaged less than the minimum rate, its grace over; never while the server holds it back. */
    private boolean bodyTooSlow(long now) {
        long elapsed = now - bodyStartNanos;
        if (config.minBodyRate() == 0 || readingPaused || elapsed < config.headerReadNanos()) {
            return false;
        }
        return bodyBytesReceived < config.minBodyRate() * (elapsed / 1e9);
    }

    private void onTimer() {
        timer = null;
        if (state == CLOSED || deadlineKind == NO_DEADLINE) {
            return;
        }
        long now = System.nanoTime();
        if (now - deadline < 0) {
            setDeadline(deadlineKind, deadline, now);
            return;
        }
        switch (deadlineKind) {
            case FIRST_REQUEST, IDLE_DEADLINE -> {
                if (!connection.isWritable()) {
                    abortStalled(); // idle because responses are not being read
                } else if (state == READING && !headInProgress && bodyMode == NO_BODY) {
                    // Dropped with a reset, not a FIN: a client that stopped reading may have left
                    // megabytes of responses in the kernel's send buffer, which a plain close keeps
                    // alive for minutes after the descriptor is gone (nginx's reset_timedout_connection).
                    state = CLOSED;
                    connection.abort();
                }
            }
            case WRITE_STALL_DEADLINE -> {
                if (state == PROCESSING && !connection.isWritable()) {
                    abortStalled();
                }
            }
            case HEAD_DEADLINE -> {
                if (state == READING) {
                    reject(408, "the request head did not arrive in time");
                }
            }
            case BODY_DEADLINE -> {
                if (state != READING || bodyMode == NO_BODY) {
                    return;
                }
                if (now - bodyIdleDeadline >= 0) {
                    reject(408, "the request body stopped arriving");
                } else if (bodyTooSlow(now)) {
                    reject(408, "the request body arrived slower than " + config.minBodyRate() + " bytes per second");
                } else {
                    setDeadline(BODY_DEADLINE, nextBodyCheck(now), now);
                }
            }
            case LINGER_DEADLINE -> closeNow();
            default -> { }
        }
    }
}
