package io.katana.http.internal;

import io.katana.http.ExceptionHandler;
import io.katana.http.HttpHandler;
import io.katana.http.HttpRequest;
import io.katana.http.HttpResponse;
import io.katana.http.HttpStatusException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shapes the server's own error answers: the handlers registered per status (404, 405, 500...) and
 * per exception type, and the plain text answers used without them.
 *
 * <p><b>Threading:</b> immutable after construction; its methods run on whichever thread met the
 * error.
 */
public final class ErrorResponder {

    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);

    private final Map<Integer, HttpHandler> byStatus;
    private final Map<Class<? extends Throwable>, ExceptionHandler<? super Throwable>> byType;

    /**
     * @param byStatus error handlers by status code
     * @param byType exception handlers by exception type, in registration order
     */
    public ErrorResponder(Map<Integer, HttpHandler> byStatus,
                          Map<Class<? extends Throwable>, ExceptionHandler<? super Throwable>> byType) {
        this.byStatus = Map.copyOf(byStatus);
        this.byType = new LinkedHashMap<>(byType);
    }

    /** Whether nothing is registered: the plain answers apply and handler failures stay with the connection. */
    boolean isEmpty() {
        return byStatus.isEmpty() && byType.isEmpty();
    }

    /** Whether a handler is registered for {@code status}. */
    boolean handles(int status) {
        return byStatus.containsKey(status);
    }

    /** Whether the handler registered for {@code status} is a blocking one. */
    boolean isBlocking(int status) {
        HttpHandler handler = byStatus.get(status);
        return handler != null && handler.isBlocking();
    }

    /** Answers {@code res} with {@code status}: through its registered handler, else in plain text. */
    void answer(int status, HttpRequest req, HttpResponse res) {
        answer(status, req, res, false);
    }

    /**
     * Answers {@code res} with {@code status}: through its registered handler, else in plain text.
     *
     * @param answerNow whether an answer the handler leaves unsent when it returns is sent plain then
     */
    void answer(int status, HttpRequest req, HttpResponse res, boolean answerNow) {
        res.status(status);
        HttpHandler handler = byStatus.get(status);
        if (handler != null) {
            try {
                handler.handle(req, res);
                if (!answerNow || res.isCommitted()) {
                    return;
                }
                LOG.error("error handler for status {} returned without answering; answered the plain {}", status, status);
                resetForError(res);
                res.status(status);
            } catch (Throwable t) {
                LOG.error("error handler for status {} threw {}; answered the plain {}", status, t.toString(), status);
                LOG.debug("stack trace of the failure in the error handler for status {}", status, t);
                if (res.isCommitted()) {
                    return;
                }
                resetForError(res);
                res.status(status);
            }
        }
        res.send(StatusLines.reason(status) + "\n");
    }

    /**
     * A handler or filter threw {@code failure}. Before the response is committed it is answered by
     * the most specific exception handler, else with a logged 500; after, the failure is thrown on to
     * the connection, which cuts a streamed body short.
     */
    void failed(Throwable failure, HttpRequest req, HttpResponse res) throws Exception {
        if (res.isCommitted()) {
            throw sneaky(failure);
        }
        resetForError(res);
        ExceptionHandler<? super Throwable> handler = handlerFor(failure);
        if (handler != null) {
            res.status(500);
            try {
                handler.handle(failure, req, res);
                return;
            } catch (Throwable t) {
                LOG.error("exception handler for {} threw {}; answered 500", failure.getClass().getName(), t.toString());
                LOG.debug("stack trace of the failure in the exception handler", t);
                if (res.isCommitted()) {
                    return;
                }
                resetForError(res);
            }
        } else if (failure instanceof HttpStatusException status) {
            // The client's doing (a malformed form, say): its status, not a server error in the log.
            LOG.debug("handler for {} {} answered {}: {}", req.method(), req.target(), status.status(), status.getMessage());
            if (byStatus.containsKey(status.status())) {
                answer(status.status(), req, res);
            } else {
                res.status(status.status()).send(status.getMessage() + "\n");
            }
            return;
        } else {
            // One line at ERROR, the stack trace at DEBUG: a failing route must not flood the log.
            LOG.error("handler for {} {} threw {}; answered 500", req.method(), req.target(), failure.toString());
            LOG.debug("stack trace of the failure in the handler for {} {}", req.method(), req.target(), failure);
        }
        answer(500, req, res);
    }

    /** The handler of the failure's own class or its nearest superclass; else the first registered interface it implements. */
    private ExceptionHandler<? super Throwable> handlerFor(Throwable failure) {
        for (Class<?> type = failure.getClass(); type != null; type = type.getSuperclass()) {
            ExceptionHandler<? super Throwable> handler = byType.get(type);
            if (handler != null) {
                return handler;
            }
        }
        for (var entry : byType.entrySet()) {
            if (entry.getKey().isInstance(failure)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** Drops what the failed handler set, keeping the header fields the filters set before it ran. */
    private static void resetForError(HttpResponse res) {
        ServerResponse server = ExchangeResponse.unwrap(res);
        if (server != null) {
            server.resetForError();
        } else {
            res.status(500);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
