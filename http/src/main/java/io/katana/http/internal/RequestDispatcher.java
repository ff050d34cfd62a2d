package io.katana.http.internal;

import io.katana.http.HttpHandler;
import io.katana.http.HttpStatusException;
import io.katana.http.SlowRequestEvent;
import jdk.jfr.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one complete request and runs its handler: inline on the reactor thread, or on the blocking
 * executor for a {@linkplain HttpHandler#blocking blocking} handler; what no route takes (404, 405,
 * automatic {@code OPTIONS}, 501) goes to the {@link Composition}'s answers, {@code OPTIONS *} is
 * answered here; turns a handler's exception into a 500,
 * or an abort when the response had already started; and records the JFR slow-request event.
 *
 * <p><b>Threading:</b> {@link #dispatch} and {@link #responseDone} run on the reactor thread; a
 * blocking handler, and its failure handling, on the blocking executor.
 */
final class RequestDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);

    /** Looked up once: whether a recording wants slow-request events is then one volatile read. */
    private static final class SlowRequests {
        static final EventType TYPE = EventType.getEventType(SlowRequestEvent.class);
    }

    private final HttpConnection exchange;
    private final ServerConfig config;
    /** The slow-request event of the request being handled, only while a recording enables it. */
    private SlowRequestEvent slowRequest;

    RequestDispatcher(HttpConnection exchange, ServerConfig config) {
        this.exchange = exchange;
        this.config = config;
    }

    /** Reactor thread: answers {@code req}, whose head and body are complete, now or later. */
    void dispatch(ServerRequest req, ServerResponse res, RequestHead head) {
        res.begin(head);
        if (exchange.isDraining()) {
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
            exchange.afterDispatch(req, res);
            return;
        }
        RouteMatch match = req.match(); // routed by the connection once the head was in
        HttpHandler handler = match.outcome() == RouteMatch.FOUND ? match.route().handler() : config.unmatched(match);
        if (handler.isBlocking()) {
            if (slowRequest != null) {
                slowRequest.blocking = true;
            }
            exchange.goAsync(req);
            config.blockingExecutor().execute(() -> runBlocking(handler, req, res));
            return;
        }
        try {
            handler.handle(req, res);
        } catch (Throwable t) {
            handlerFailed(req, res, t);
        }
        exchange.afterDispatch(req, res);
    }

    private void runBlocking(HttpHandler handler, ServerRequest req, ServerResponse res) {
        try {
            handler.handle(req, res);
        } catch (Throwable t) {
            handlerFailed(req, res, t);
        }
    }

    /** Any thread: the handler, or a consumer of its streamed body, threw {@code failure}. */
    void handlerFailed(ServerRequest req, ServerResponse res, Throwable failure) {
        RequestHead failedHead = req.head();
        String target = failedHead.latin1(failedHead.targetStart(), failedHead.targetEnd());
        if (failure instanceof HttpStatusException status && res.phase() == ServerResponse.OPEN) {
            // The client's doing (a malformed form, say): its answer, not a server error in the log.
            LOG.debug("handler for {} {} answered {}: {}", failedHead.method(), target, status.status(), status.getMessage());
            try {
                res.begin(failedHead);
                res.status(status.status()).send(status.getMessage() + "\n");
            } catch (IllegalStateException alreadySent) {
                // the server answered the body's own failure first
            }
            return;
        }
        // One line at ERROR, the stack trace at DEBUG: a failing route must not flood the log.
        LOG.error("handler for {} {} threw {}; answered 500", failedHead.method(), target, failure.toString());
        LOG.debug("stack trace of the failure in the handler for {} {}", failedHead.method(), target, failure);
        switch (res.phase()) {
            case ServerResponse.OPEN -> {
                res.begin(failedHead);
                res.status(500).send("Internal Server Error\n");
            }
            case ServerResponse.STREAMING -> exchange.connection().abort(); // the body is cut short: the client must see it
            default -> { } // the response was already sent
        }
    }

    /** Reactor thread: {@code res} has been written; ends its slow-request event, if one is recorded. */
    void responseDone(ServerResponse res) {
        SlowRequestEvent event = slowRequest;
        if (event == null) {
            return;
        }
        slowRequest = null;
        event.end();
        if (event.shouldCommit()) {
            event.status = res.status();
            event.backend = exchange.connection().reactor().group().backend();
            event.commit();
        }
    }
}
