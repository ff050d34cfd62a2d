package io.katana.http;

/**
 * Answers a request whose handler (or filter) threw an exception of type {@code T}: registered with
 * {@link HttpServer.Builder#exception}; the most specific registered type wins.
 *
 * <p>When it runs, the response's status is 500 and its header fields are those the filters had set
 * before the handler ran (a CORS or request-id header survives; what the failed handler set is
 * dropped); it may change both and must send.
 *
 * <p><b>Threading:</b> runs on the thread where the exception was thrown, right after it; like a
 * handler it must not block on the reactor thread. If it throws in turn, that is logged and the
 * client gets the plain 500.
 *
 * @param <T> the exception type it answers
 */
@FunctionalInterface
public interface ExceptionHandler<T extends Throwable> {

    /**
     * Answers the failed request.
     *
     * @param exception what the handler threw
     * @param request the request
     * @param response its response, not yet sent
     * @throws Exception anything; logged, and the plain 500 is sent instead
     */
    void handle(T exception, HttpRequest request, HttpResponse response) throws Exception;
}
