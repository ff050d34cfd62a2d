package io.katana.http.internal;

import io.katana.http.HttpHandler;
import io.katana.http.HttpStatusException;
import io.katana.http.SlowRequestEvent;
import io.katana.reactor.Connection;
import java.time.Duration;
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
    /** The request timeout of the request being handled: its route's, else the server's; 0 for none. */
    private long requestTimeoutNanos;
    /** This reactor's slot of the blocked-reactor watch, or null when the warning is off. */
    private BlockedReactorWatch.Slot watchSlot;
    private Route lastRoute;
    private long lastRouteTimeoutNanos;

    RequestDispatcher(HttpConnection exchange, ServerConfig config) {
        this.exchange = exchange;
        this.config = config;
    }

    /** Reactor thread: the connection opened. */
    void open(Connection connection) {
        BlockedReactorWatch watch = config.blockedReactorWatch();
        watchSlot = watch == null ? null : watch.slot(connection);
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
        requestTimeoutNanos = match.outcome() == RouteMatch.FOUND ? timeoutOf(match.route()) : config.requestTimeoutNanos();
        if (handler.isBlocking()) {
            if (slowRequest != null) {
                slowRequest.blocking = true;
            }
            exchange.goAsync(req);
            config.blockingExecutor().execute(() -> runBlocking(handler, req, res));
            return;
        }
        BlockedReactorWatch.Slot slot = watchSlot;
        if (slot != null) {
            slot.enter(head.method(), match.outcome() == RouteMatch.FOUND ? match.route().pattern() : "(no route)");
        }
        try {
            handler.handle(req, res);
        } catch (Throwable t) {
            handlerFailed(req, res, t);
        } finally {
            if (slot != null) {
                slot.exit();
            }
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

    /**
     * Reactor thread: answers {@code req} with an error the connection decided ({@code status}, a 413
     * say) through {@code answer}, the route's filters and error handler (see {@link
     * Composition#errorAnswer}), and closes the connection after it. Whatever {@code answer} does, the
     * client gets an answer when it returns: a filter that neither answers nor goes on leaves the plain
     * one, and a handler that throws gets the plain one or a cut stream.
     */
    void dispatchError(ServerRequest req, ServerResponse res, RequestHead head, HttpHandler answer, int status) {
        res.begin(head);
        res.forceClose(); // the request's body was not read: nothing else can follow on this connection
        requestTimeoutNanos = config.requestTimeoutNanos(); // a blocking error handler that hangs gets the plain 503
        if (answer.isBlocking()) {
            exchange.goAsync(req);
            config.blockingExecutor().execute(() -> runError(answer, req, res, status));
            return;
        }
        runError(answer, req, res, status);
        exchange.afterDispatch(req, res);
    }

    private void runError(HttpHandler answer, ServerRequest req, ServerResponse res, int status) {
        try {
            answer.handle(req, res);
        } catch (Throwable t) {
            handlerFailed(req, res, t);
        }
        if (res.phase() == ServerResponse.OPEN) {
            LOG.error("the filters around the {} answer to {} {} returned without answering; answered the plain {}",
                    status, req.method(), req.target(), status);
            try {
                res.resetForError();
                res.status(status).send(StatusLines.reason(status) + "\n");
            } catch (IllegalStateException answeredMeanwhile) {
                // a filter answered from another thread after all
            }
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
        // One line at ERROR saying what the client got, the stack trace at DEBUG: a failing route must
        // not flood the log.
        int phase = res.phase();
        String outcome = switch (phase) {
            case ServerResponse.OPEN -> "answered 500";
            case ServerResponse.STREAMING -> "its streamed response (status " + res.status()
                    + ") had started, so the connection was aborted and the client saw the body cut short";
            case ServerResponse.ABANDONED -> "the exchange had been abandoned already; nothing more was sent";
            default -> "after it had answered (status " + res.status() + "); that answer stands";
        };
        LOG.error("handler for {} {} threw {}; {}", failedHead.method(), target, failure.toString(), outcome);
        LOG.debug("stack trace of the failure in the handler for {} {}", failedHead.method(), target, failure);
        if (phase == ServerResponse.OPEN) {
            res.begin(failedHead);
            res.status(500).send("Internal Server Error\n");
        } else if (phase == ServerResponse.STREAMING) {
            exchange.abortExchange(res, failure); // the body is cut short: the client must see it
        }
    }

    /** The route's request timeout, else the server's; remembered for the last route, so a keep-alive run allocates nothing. */
    private long timeoutOf(Route route) {
        if (route != lastRoute) {
            lastRoute = route;
            lastRouteTimeoutNanos = route.options().requestTimeout().map(Duration::toNanos).orElse(config.requestTimeoutNanos());
        }
        return lastRouteTimeoutNanos;
    }

    /** The request timeout of the request just dispatched, in nanoseconds; 0 for none. */
    long requestTimeoutNanos() {
        return requestTimeoutNanos;
    }

    /** Reactor thread: the answer (of {@code status}) has been written; ends its slow-request event, if one is recorded. */
    void responseDone(int status) {
        SlowRequestEvent event = slowRequest;
        if (event == null) {
            return;
        }
        slowRequest = null;
        event.end();
        if (event.shouldCommit()) {
            event.status = status;
            event.backend = exchange.connection().reactor().group().backend();
            event.commit();
        }
    }
}
