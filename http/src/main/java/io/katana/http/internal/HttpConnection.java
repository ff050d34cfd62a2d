package io.katana.http.internal;

import io.katana.http.HttpHandler;
import io.katana.http.HttpStatusException;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ScheduledTask;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves HTTP/1.1 on one connection: reads requests in place in the reactor's buffer, hands each
 * complete one to the {@link RequestDispatcher}, and moves the connection through its {@link
 * ExchangeState states}: reading, processing a request answered later, lingering after an error
 * answer, closed. It delegates the rest: {@link BodyIntake} collects bodies that come over several
 * reads, {@link ResponseWriter} encodes and writes responses, {@link ConnectionDeadline} holds the one
 * timeout in force.
 *
 * <p><b>Requests, one at a time.</b> Pipelined requests are handled in order, each after the
 * previous one's response is complete. Handlers that answer at once (the usual case) let a whole
 * batch of pipelined requests be answered from one read: each response is written as it completes
 * and the connection is flushed once, after the batch, so the batch leaves in one gathering write. A
 * handler that answers later (or a blocking one) keeps reading on, so that a client that leaves is
 * noticed at once; bytes of requests behind it pause reading and stay with the reactor, which
 * presents them again on resume.
 *
 * <p><b>Abandoned exchanges.</b> While a response is owed, a client that closes (FIN) or resets the
 * connection abandons its exchange: the connection closes and the handler hears of it through {@link
 * ServerResponse#onAbandoned} or its stream's {@code onClose}. So does the request timeout, which
 * answers 503 in the handler's place (or aborts a response already streaming).
 *
 * <p><b>No copies on the hot path.</b> A request head and a body that arrived with it are read where
 * they lie. Only when a request must outlive the read callback (blocking or late answer, or a body
 * that arrives over several reads) are its bytes copied.
 *
 * <p><b>Errors.</b> A request the parser refuses, or one over a limit, gets its status and {@code
 * Connection: close}; then the output is shut and what the client still sends is read and discarded
 * for a short while ("lingering close"), so the answer is not destroyed by a TCP reset.
 *
 * <p><b>Threading:</b> the {@link ConnectionHandler} callbacks and everything that changes the state
 * run on the reactor thread. Responses may be completed from any thread through the {@link
 * ResponseWriter}, which hands what follows back to the reactor.
 */
public final class HttpConnection implements ConnectionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);
    private static final byte[] NO_BODY = new byte[0];

    private final ServerConfig config;
    private final RequestHeadParser parser;
    /** Made on the first request with a body: an idle keep-alive connection, or one that only GETs, never needs it. */
    private BodyIntake body;
    private final ResponseWriter writer;
    private final RequestDispatcher dispatcher;
    private final ConnectionDeadline deadline;

    private Connection connection;
    private Thread owner;

    private ExchangeState state = ExchangeState.READING;
    /** The request being read or answered; replaced by fresh objects when one escapes to another thread. */
    private RequestHead head;
    private ServerRequest request;
    private ServerResponse response;
    /** The body of the request in flight when its handler streams it; null otherwise. */
    private StreamedBody streamed;
    private boolean headInProgress;
    private long requestStart;
    private boolean inputClosed;
    /** The group is shutting down: answer the request in flight (with {@code Connection: close}), then close. */
    private boolean draining;
    private boolean pausedForWritability;
    /** Bytes of a next request arrived while a response is owed: reading pauses until it is done. */
    private boolean heldInput;
    private boolean readingPaused;
    /** The response owed while PROCESSING; abandoned if the connection ends first. */
    private ServerResponse inFlight;
    /** Why the connection is being closed while a response is owed, for the handler; null: not yet known. */
    private Throwable abandonReason;
    private ScheduledTask requestTimer;
    private long requestTimeoutNanos;
    private final Runnable requestTimeoutAction = this::requestTimedOut;
    /** The reactor's buffer while a read is being handled, else null. */
    private ByteBuffer currentInput;
    private int answeredInRead;
    /** A request's body was refused unread: after its answer the connection lingers, then closes. */
    private boolean refusedBody;

    public HttpConnection(ServerConfig config) {
        this.config = config;
        this.parser = new RequestHeadParser(config.limits(), config.largestBodyLimit(), config.dropUnderscoreHeaders());
        this.writer = new ResponseWriter(this, config);
        this.dispatcher = new RequestDispatcher(this, config);
        this.deadline = new ConnectionDeadline(this);
    }

    // ------------------------------------------------------------------ for the exchange's other parts

    private BodyIntake body() {
        if (body == null) {
            body = new BodyIntake(config);
        }
        return body;
    }

    private boolean collectingBody() {
        return body != null && body.collecting();
    }


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

    /** Reactor thread: whether {@code res} answers the request in flight on an open connection. */
    boolean isCurrent(ServerResponse res) {
        return res == response && state != ExchangeState.CLOSED;
    }

    boolean isClosed() {
        return state == ExchangeState.CLOSED;
    }

    boolean isDraining() {
        return draining;
    }

    // ------------------------------------------------------------------ ConnectionHandler

    @Override
    public void onOpen(Connection opened) {
        connection = opened;
        owner = Thread.currentThread();
        writer.open(opened);
        deadline.open(opened);
        dispatcher.open(opened);
        long now = System.nanoTime();
        deadline.set(Deadline.FIRST_REQUEST, now + config.headerReadNanos(), now);
    }

    @Override
    public void onRead(Connection from, ByteBuffer data) {
        if (state == ExchangeState.PROCESSING && streamed != null && streamed.wantsBytes()) {
            // The body of a streaming handler's request; its consumer may answer on the way, and the bytes
            // after it are then the next request, read below.
            feedStreamed(data, System.nanoTime());
        }
        if (state != ExchangeState.READING) {
            if (state == ExchangeState.PROCESSING) {
                if (data.hasRemaining()) {
                    heldInput = true; // keep the rest; it is presented again when wanted or when the response is done
                }
                updatePause();
            } else {
                data.position(data.limit()); // lingering or closed: discard
            }
            return;
        }
        long now = System.nanoTime();
        currentInput = data;
        writer.beginBatch();
        try {
            readRequests(data, now);
            // Body bytes that came with the head of a streaming handler's request; if its consumer answers
            // on the way, the bytes after the body are the next request.
            while (state == ExchangeState.PROCESSING && streamed != null && streamed.wantsBytes() && data.hasRemaining()) {
                feedStreamed(data, now);
                if (state == ExchangeState.READING) {
                    readRequests(data, now);
                }
            }
        } finally {
            currentInput = null;
            writer.endBatch();
            if (answeredInRead > 0) {
                connection.reactor().recordRequests(answeredInRead); // once per read, for the reactor's stats
                answeredInRead = 0;
            }
        }
        // Judged after the batch's flush, not when the response was queued: a file queued past the high
        // water mark usually leaves whole in that flush, and pausing and resuming for it would cost a read.
        if (state == ExchangeState.READING && !pausedForWritability && connection.pendingOutboundBytes() > 0
                && !connection.isWritable()) {
            pauseForWritability();
        }
        if (state == ExchangeState.READING) {
            if (collectingBody()) {
                body().activity(now);
                deadline.set(Deadline.BODY, body().nextCheck(now), now);
            } else if (headInProgress) {
                deadline.set(Deadline.HEAD, requestStart + config.headerReadNanos(), now);
            } else {
                deadline.set(Deadline.IDLE, now + config.keepAliveNanos(), now);
            }
        }
    }

    @Override
    public void onWritabilityChanged(Connection from, boolean writable) {
        if (state == ExchangeState.PROCESSING) {
            // A client that stops reading must not hold a streamed response open forever. Set before the
            // stream hears of it: its writable action runs right here and may make the connection
            // unwritable again, and that nested change's stall deadline must be the one that stays.
            long now = System.nanoTime();
            deadline.set(writable ? Deadline.NONE : Deadline.WRITE_STALL, now + config.keepAliveNanos(), now);
        }
        writer.writabilityChanged(writable);
        if (writable && pausedForWritability) {
            pausedForWritability = false;
            updatePause();
        }
    }

    @Override
    public void onInputClosed(Connection from) {
        inputClosed = true;
        if (streamed != null && !streamed.isComplete()) {
            streamed.fail(new IOException("the client closed its side of the connection after " + streamed.received()
                    + " bytes of the request body" + (streamed.contentLength() >= 0 ? " of " + streamed.contentLength() : "")));
        }
        if (state == ExchangeState.READING || state == ExchangeState.LINGERING) {
            // An incomplete request is abandoned; nothing is owed for it.
            closeNow();
        } else if (state == ExchangeState.PROCESSING) {
            // As nginx and Netty take it: a client that closes its side while waiting for an answer
            // has gone. Answers given inline reach a half-closed client; this one is abandoned.
            abandonReason = new IOException("the client closed the connection before the response was complete");
            closeNow();
        }
    }

    @Override
    public void onShutdown(Connection from) {
        draining = true;
        if (state == ExchangeState.READING && !headInProgress && !collectingBody()) {
            closeNow(); // idle between requests: nothing is owed
        } else if (state == ExchangeState.PROCESSING) {
            response.forceClose(); // a head not yet sent says Connection: close (RFC 9112 section 9.6)
        }
        // A request being read or answered is finished first; responseDone then closes. LINGERING
        // already ends by itself.
    }

    @Override
    public void onClose(Connection from, Throwable cause) {
        markClosed();
        cancelRequestTimer();
        if (streamed != null && !streamed.isComplete()) {
            streamed.fail(new IOException("the connection closed after " + streamed.received() + " bytes of the request body", cause));
        }
        writer.connectionClosed();
        if (body != null) {
            body.abandon();
        }
        ServerResponse owed = inFlight;
        if (owed != null) {
            inFlight = null;
            Throwable why = abandonReason != null ? abandonReason
                    : new IOException("the connection closed before the response was complete", cause);
            owed.abandon(why);
        }
    }

    // ------------------------------------------------------------------ reading requests

    private void readRequests(ByteBuffer buf, long now) {
        while (state == ExchangeState.READING && !pausedForWritability) {
            if (collectingBody()) {
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
            if (!startBody(buf, start + head.length(), limit, now)) {
                return;
            }
            if (state == ExchangeState.READING && buf.hasRemaining() && !connection.isWritable()) {
                // The client sends requests faster than it reads responses: stop reading until it catches up.
                pauseForWritability();
            }
        }
    }

    private void pauseForWritability() {
        pausedForWritability = true;
        updatePause();
    }

    /**
     * The head is complete: dispatches the request if its body is here too, else starts collecting.
     *
     * @return whether the request was dispatched
     */
    private boolean startBody(ByteBuffer buf, int bodyStart, int limit, long now) {
        RouteMatch match = request.match();
        if (head.targetForm() != RequestHead.ASTERISK_FORM) {
            config.router().match(head, match); // now, since the route decides the body limit and whether it streams
        }
        Route route = match.outcome() == RouteMatch.FOUND ? match.route() : null;
        long maxBody = config.bodyLimit(route);
        if (head.contentLength() > maxBody) {
            buf.position(limit);
            refuseBody(413, "request body of " + head.contentLength() + " bytes is over this route's limit of " + maxBody);
            return false;
        }
        if (route != null && route.handler().isStreaming()) {
            startStreamed(buf, bodyStart, limit, maxBody);
            return true;
        }
        if (head.isChunked()) {
            int decoded = body().startChunked(buf, bodyStart, limit, maxBody);
            if (decoded == ChunkedDecoder.ERROR) {
                buf.position(limit);
                refuseBody(body().errorStatus(), body().errorReason());
                return false;
            }
            if (decoded == ChunkedDecoder.NEED_MORE) {
                awaitBody(buf, bodyStart, BodyIntake.Framing.CHUNKED, now);
                return false;
            }
            buf.position(body().chunkedEnd());
            dispatchCollected();
            return true;
        }
        long length = head.contentLength();
        if (length > 0 && limit - bodyStart < length) {
            body().startLength(length, buf, bodyStart, limit);
            awaitBody(buf, bodyStart, BodyIntake.Framing.LENGTH, now);
            return false;
        }
        int inline = (int) Math.max(0, length);
        buf.position(bodyStart + inline);
        request.begin(head, buf, bodyStart, inline);
        dispatcher.dispatch(request, response, head);
        return true;
    }

    /**
     * Dispatches a streaming handler's request now, its body to come: the handler reads it through a
     * {@link StreamedBody}, which the connection feeds while the handler wants bytes.
     */
    private void startStreamed(ByteBuffer buf, int bodyStart, int limit, long maxBody) {
        ChunkedDecoder decoder = head.isChunked() ? body().decoder() : null;
        streamed = new StreamedBody(this, head.isChunked() ? -1 : Math.max(0, head.contentLength()), decoder);
        if (decoder != null) {
            decoder.begin(streamed, maxBody); // decoded data goes straight to the body's consumer
        }
        if (bodyStart == limit && head.expectContinue() && !streamed.isComplete()) {
            writer.writeContinue();
        }
        buf.position(bodyStart);
        head.detach(); // the handler outlives this read whatever it does: the body comes later
        request.begin(head, streamed);
        state = ExchangeState.PROCESSING; // reads now serve the body only; the next request waits for the response
        updatePause();
        dispatcher.dispatch(request, response, head);
    }

    /** Reactor thread: feeds the streamed body from {@code buf}; a broken body is answered and ends the connection. */
    private void feedStreamed(ByteBuffer buf, long now) {
        StreamedBody target = streamed;
        try {
            target.feed(buf);
        } catch (HttpStatusException e) {
            streamedBodyFailed(target, e);
            return;
        }
        if (!target.isComplete() && state == ExchangeState.PROCESSING) {
            body().activity(now);
            deadline.set(Deadline.BODY, body().nextCheck(now), now);
        }
    }

    /**
     * Reactor thread: the streamed body cannot go on (malformed, over its limit, too slow). Its consumer
     * hears of it; the client gets the status unless a response is already under way, and the
     * connection closes after it, since the rest of the body is not read.
     */
    private void streamedBodyFailed(StreamedBody target, HttpStatusException failure) {
        ServerResponse res = response;
        if (res == null || state != ExchangeState.PROCESSING || streamed != target) {
            target.fail(failure);
            return;
        }
        // Answered before the consumer hears of it, so the client gets this status, not the consumer's reaction.
        if (res.phase() == ServerResponse.OPEN) {
            try {
                res.forceClose();
                res.status(failure.status()).send(failure.status() + " " + StatusLines.reason(failure.status()) + ": "
                        + failure.getMessage() + "\n");
            } catch (IllegalStateException alreadySent) {
                // the handler answered first; the connection still closes after its response
            }
        } else if (res.phase() == ServerResponse.STREAMING) {
            abortNow();
        }
        target.fail(failure);
    }

    /** Any thread: a consumer of the streamed body threw; answered as a handler that throws. */
    void bodyConsumerFailed(Throwable failure) {
        ServerRequest req = request;
        ServerResponse res = response;
        if (req != null && res != null) {
            dispatcher.handlerFailed(req, res, failure);
        }
    }

    /** Reactor thread: the streamed body's consumer wants more, or less: read or pause accordingly. */
    void bodyDemandChanged() {
        if (state != ExchangeState.PROCESSING) {
            return;
        }
        if (!readingPaused && streamed != null && streamed.wantsBytes()) {
            // Bytes the consumer declined may be kept while reading was never paused (it resumed before the
            // read callback ended): a pause and resume has the reactor present them again at once.
            readingPaused = true;
            connection.pauseReading();
        }
        updatePause();
    }

    /** The head is complete but its body is not: copy the head out and collect the body as it comes. */
    private void awaitBody(ByteBuffer buf, int bodyStart, BodyIntake.Framing framing, long now) {
        if (bodyStart == buf.limit() && head.expectContinue()) {
            writer.writeContinue();
        }
        body().await(framing, buf.limit() - bodyStart, now);
        head.detach();
        buf.position(buf.limit());
    }

    /** Feeds body bytes of the request being collected. @return whether the request was dispatched */
    private boolean continueBody(ByteBuffer buf) {
        switch (body().feed(buf)) {
            case COMPLETE -> {
                dispatchCollected();
                return true;
            }
            case ERROR -> refuseBody(body().errorStatus(), body().errorReason());
            case MORE -> { }
        }
        return false;
    }

    private void dispatchCollected() {
        body().lendTo(request, head);
        dispatcher.dispatch(request, response, head);
    }

    /** Makes sure there are request and response objects for the next request. */
    private void newExchange() {
        if (request == null) {
            head = new RequestHead();
            request = new ServerRequest(this);
            response = new ServerResponse(writer);
        }
    }

    // ------------------------------------------------------------------ the exchange's lifecycle

    /** Reactor thread: the handler returned (or the server answered); a response not yet complete comes later. */
    void afterDispatch(ServerRequest req, ServerResponse res) {
        if (res.phase() == ServerResponse.DONE) {
            if (body != null) {
                body.responseDone();
            }
            if (!req.finish()) {
                request = null; // another thread still looks at it: do not reuse
            }
        } else if (state == ExchangeState.READING || streamed != null) {
            goAsync(req);
        }
    }

    /** The response will come later: make the request independent of the read buffer and stop reading. */
    void goAsync(ServerRequest req) {
        req.detach();
        if (body != null) {
            body.giveToRequest();
        }
        state = ExchangeState.PROCESSING;
        inFlight = response;
        heldInput = currentInput != null && currentInput.hasRemaining();
        requestTimeoutNanos = dispatcher.requestTimeoutNanos();
        if (requestTimeoutNanos > 0) {
            requestTimer = connection.reactor().schedule(requestTimeoutNanos, TimeUnit.NANOSECONDS, requestTimeoutAction);
        }
        if (connection.isWritable()) {
            deadline.clear();
        } else {
            // The handler filled the queue before returning (a streamed body the client does not read):
            // the writability change came while still READING, so the stall deadline starts here.
            long now = System.nanoTime();
            deadline.set(Deadline.WRITE_STALL, now + config.keepAliveNanos(), now);
        }
        updatePause();
    }

    /** Reactor thread: {@code res} has been written; go on with the next request, or close. */
    void responseDone(ServerResponse res) {
        res.markDone();
        dispatcher.responseDone(res.status());
        exchangeDone(res.closesConnection());
    }

    /** Reactor thread: the answer to the request in flight is written; go on with the next request, or close. */
    private void exchangeDone(boolean closeAsked) {
        countAnswered();
        writer.flushSoon();
        // A body not read to its end leaves the connection's input mid-body: no next request can be read.
        boolean unreadBody = streamed != null && !streamed.isComplete();
        boolean close = closeAsked || inputClosed || draining || unreadBody || refusedBody;
        if (streamed != null) {
            streamed.fail(new IOException("the response was sent before the request body was read to its end"));
            streamed = null;
        }
        if (state == ExchangeState.PROCESSING) {
            cancelRequestTimer();
            inFlight = null;
            heldInput = false;
            // The exchange escaped to other threads: the next request gets fresh objects.
            request = null;
            response = null;
            head = null;
            state = ExchangeState.READING;
            if (close) {
                lingerOrClose(true);
                return;
            }
            updatePause();
            long now = System.nanoTime();
            deadline.set(Deadline.IDLE, now + config.keepAliveNanos(), now);
            return;
        }
        if (close && state == ExchangeState.READING) {
            lingerOrClose(refusedBody || (currentInput != null && currentInput.hasRemaining()));
        }
    }

    /**
     * Reactor thread: the request timeout passed. An answer not yet started is replaced by a 503 and
     * the connection serves on; a streamed one is cut; one being sent from another thread goes on.
     */
    private void requestTimedOut() {
        requestTimer = null;
        ServerResponse res = inFlight;
        if (state != ExchangeState.PROCESSING || res == null) {
            return;
        }
        Duration timeout = Duration.ofNanos(requestTimeoutNanos);
        if (res.abandonIfOpen(new TimeoutException("no answer within the request timeout of " + timeout
                + "; the client got 503 Service Unavailable"))) {
            LOG.warn("{}: the handler did not answer within the request timeout of {}; answered 503, and its late"
                    + " answer will be dropped", res.describeRequest(), timeout);
            // A request body not read to its end leaves the input mid-body: say the connection closes, so
            // nothing is answered twice.
            boolean close = res.closesConnection() || res.minorVersion() == 0 || inputClosed || draining
                    || (streamed != null && !streamed.isComplete());
            writer.writeServerAnswer(503, "the request was not answered in time", close, res.isHeadRequest());
            dispatcher.responseDone(503);
            exchangeDone(close);
        } else if (res.phase() == ServerResponse.STREAMING) {
            LOG.warn("{}: the streamed response did not end within the request timeout of {}; aborting the connection",
                    res.describeRequest(), timeout);
            abortExchange(res, new TimeoutException("the streamed response did not end within the request timeout of "
                    + timeout + "; the connection was aborted"));
        }
    }

    /**
     * Any thread: cuts the connection under {@code res}, whose body cannot be completed, and gives
     * {@code why} to the handler's end actions. The caller logs.
     */
    void abortExchange(ServerResponse res, Throwable why) {
        if (!onOwnerThread()) {
            runOnReactor(() -> abortExchange(res, why));
            return;
        }
        if (res.abandon(why) < 0) {
            return; // it had ended already
        }
        if (state != ExchangeState.CLOSED && (res == response || res == inFlight)) {
            abandonReason = why;
            abortNow();
        }
    }

    private void cancelRequestTimer() {
        if (requestTimer != null) {
            requestTimer.cancel();
            requestTimer = null;
        }
    }

    private void countAnswered() {
        if (currentInput != null) {
            answeredInRead++;
        } else {
            connection.reactor().recordRequests(1);
        }
    }

    // ------------------------------------------------------------------ errors and closing

    /** Answers a request that cannot be served, then closes (lingering). Reactor thread, READING. */
    private void reject(int status, String reason) {
        headInProgress = false;
        if (body != null) {
            body.abandon();
        }
        writer.writeErrorAnswer(status, reason);
        countAnswered();
        lingerOrClose(true);
    }

    /**
     * Refuses the body of a routed request. A 413 goes through the route's filters and its error
     * handler when the server has any (see {@link Composition#errorAnswer}); the connection closes
     * after it, lingering, since the rest of the body is not read. Other statuses (a malformed chunked
     * body) and a server with nothing to shape the 413 get the plain answer of {@link #reject}.
     */
    private void refuseBody(int status, String reason) {
        HttpHandler answer = status == 413 && head.targetForm() != RequestHead.ASTERISK_FORM
                ? config.errorAnswer(status, request.match()) : null;
        if (answer == null) {
            reject(status, reason);
            return;
        }
        LOG.debug("{}: refused {} {}: {}", connection, status, StatusLines.reason(status), reason);
        headInProgress = false;
        if (body != null) {
            body.abandon();
        }
        refusedBody = true;
        request.begin(head, NO_BODY, 0, List.of());
        dispatcher.dispatchError(request, response, head, answer, status);
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
        state = ExchangeState.LINGERING;
        headInProgress = false;
        if (body != null) {
            body.abandon();
        }
        connection.shutdownOutput();
        updatePause();
        long now = System.nanoTime();
        deadline.set(Deadline.LINGER, now + config.lingerNanos(), now);
    }

    private void markClosed() {
        state = ExchangeState.CLOSED;
        deadline.stop();
    }

    private void closeNow() {
        markClosed();
        connection.close();
    }

    /**
     * Drops the connection with a reset, not a FIN: a client that stopped reading may have left
     * megabytes of responses in the kernel's send buffer, which a plain close keeps alive for minutes
     * after the descriptor is gone (nginx's reset_timedout_connection).
     */
    private void abortNow() {
        markClosed();
        connection.abort();
    }

    private void updatePause() {
        // While a streamed request body is still coming, its consumer's demand decides; otherwise reading
        // stays on (a client that leaves is noticed) unless bytes of a next request are held.
        boolean bodyComing = streamed != null && !streamed.isComplete();
        boolean pause = (state == ExchangeState.PROCESSING && (bodyComing ? !streamed.wantsBytes() : heldInput))
                || (state == ExchangeState.READING && pausedForWritability);
        if (pause && !readingPaused) {
            readingPaused = true;
            connection.pauseReading();
        } else if (!pause && readingPaused) {
            readingPaused = false;
            connection.resumeReading();
        }
    }

    // ------------------------------------------------------------------ timeouts

    /** Reactor thread: the {@link ConnectionDeadline} of kind {@code kind} has passed. */
    void deadlinePassed(Deadline kind, long now) {
        if (state == ExchangeState.CLOSED) {
            return;
        }
        switch (kind) {
            case FIRST_REQUEST, IDLE -> {
                if (!connection.isWritable()) {
                    LOG.debug("{}: the client stopped reading responses; aborting", connection);
                    abortNow(); // idle because responses are not being read
                } else if (state == ExchangeState.READING && !headInProgress && !collectingBody()) {
                    abortNow();
                }
            }
            case WRITE_STALL -> {
                if (state == ExchangeState.PROCESSING && !connection.isWritable()) {
                    LOG.debug("{}: the client stopped reading responses; aborting", connection);
                    abortNow();
                }
            }
            case HEAD -> {
                if (state == ExchangeState.READING) {
                    reject(408, "the request head did not arrive in time");
                }
            }
            case BODY -> {
                if (state == ExchangeState.PROCESSING && streamed != null && streamed.wantsBytes()) {
                    if (body().stalled(now)) {
                        streamedBodyFailed(streamed, new HttpStatusException(408, "the request body stopped arriving"));
                    } else {
                        deadline.set(Deadline.BODY, body().nextCheck(now), now);
                    }
                    return;
                }
                if (state != ExchangeState.READING || !collectingBody()) {
                    return;
                }
                if (body().stalled(now)) {
                    reject(408, "the request body stopped arriving");
                } else if (body().tooSlow(now, readingPaused)) {
                    reject(408, "the request body arrived slower than " + config.minBodyRate() + " bytes per second");
                } else {
                    deadline.set(Deadline.BODY, body().nextCheck(now), now);
                }
            }
            case LINGER -> closeNow();
            case NONE -> { }
        }
    }
}
