package io.katana.http;

/**
 * Wraps the handling of a request: it may act before the rest of the chain, call {@code next} (or
 * not, answering itself to short-circuit), and act after {@code next} returns.
 *
 * <pre>{@code
 * builder.filter((req, res, next) -> {
 *     if (req.header("Authorization") == null) {
 *         res.status(401).send("sign in first\n");   // short-circuit: next never runs
 *         return;
 *     }
 *     res.header("X-Request-Id", newId());           // kept by an error response too
 *     next.handle(req, res);
 * });
 * }</pre>
 *
 * <p><b>Threading:</b> a filter runs on the thread of the handler it wraps: the reactor thread, or the
 * handler's virtual thread when the route's handler is {@link HttpHandler#blocking}. So a filter must
 * not block unless every route it wraps is blocking. Code after {@code next.handle} runs when the
 * handler returns, which for a handler that answers later is before the answer; to act on the answer
 * itself, use an after-filter ({@link HttpServer.Builder#after}). A filter is shared by every
 * connection and called concurrently.
 *
 * <p><b>Failures:</b> an exception thrown here or by {@code next} goes to the exception handlers
 * ({@link HttpServer.Builder#exception}) as a handler's would.
 */
@FunctionalInterface
public interface HttpFilter {

    /**
     * Handles one request, usually by calling {@code next.handle(request, response)}.
     *
     * @param request the request
     * @param response its response; answering it without calling {@code next} ends the chain
     * @param next the rest of the chain: later filters, then the route's handler
     * @throws Exception anything; treated as the handler's own failure
     */
    void filter(HttpRequest request, HttpResponse response, HttpHandler next) throws Exception;
}
