package io.katana.http;

import java.util.Objects;

/**
 * Answers the requests of one route.
 *
 * <p><b>Threading:</b> a handler runs on the reactor thread of the request's connection, so it must
 * not block; it may answer at once, or return without answering and answer later from any thread
 * (the connection waits, reading no further requests, until the response is complete). A handler
 * wrapped with {@link #blocking(HttpHandler)} runs on a virtual thread of its own instead and may
 * block; the reactor keeps serving other connections meanwhile. Either way a handler is shared by all
 * connections and called concurrently, so it must be safe for that. A handler that holds the reactor
 * thread past {@link HttpServer.Builder#blockedReactorThreshold} (2 s by default) is logged with its
 * route and the thread's stack: the sign that it should have been {@code blocking}.
 *
 * <p><b>Abandonment:</b> when the client leaves before the answer, or the request timeout ({@link
 * HttpTimeouts}, {@link RouteOptions#withRequestTimeout}) passes, the exchange is given up: the
 * handler learns it from {@link HttpResponse#onAbandoned} (or {@link ResponseStream#onClose}), and an
 * answer sent after that is dropped with a warning, never thrown at the handler.
 *
 * <p><b>Failures:</b> an exception thrown by {@link #handle} becomes a 500 response (when nothing was
 * sent yet) and one log line; the client never sees the exception.
 */
@FunctionalInterface
public interface HttpHandler {

    /**
     * Handles one request. Complete the response with one of {@link HttpResponse#send()} variants,
     * or with {@link HttpResponse#stream()} and then {@link ResponseStream#close()}; until then the
     * client waits.
     *
     * @param request the request, its body already read in full (unless the handler is {@link
     *     #streaming(HttpHandler) streaming})
     * @param response where the answer goes; it may be completed after this method returns
     * @throws Exception anything; it is logged and becomes a 500 response if nothing was sent yet,
     *     or aborts the connection if a streamed body was under way (so the client sees it cut short)
     */
    void handle(HttpRequest request, HttpResponse response) throws Exception;

    /**
     * {@return whether this handler blocks, and so runs on a virtual thread rather than the reactor
     * thread} False unless the handler was made with {@link #blocking(HttpHandler)}.
     */
    default boolean isBlocking() {
        return false;
    }

    /**
     * {@return whether this handler reads the request body as it arrives, and so runs as soon as the
     * head is in} False unless the handler was made with {@link #streaming(HttpHandler)}.
     */
    default boolean isStreaming() {
        return false;
    }

    /**
     * Marks {@code handler} as streaming: it runs as soon as the request head has arrived and reads the
     * body as it comes, from {@link HttpRequest#bodyStream()} (or part by part with {@link
     * HttpRequest#multipart()}), at its own pace, so a body of any size passes through a fixed amount
     * of memory. Its body limit is the route's {@link RouteOptions#withMaxBodyBytes} or the server's.
     * Combine with {@link #blocking}, in either order, to read the body as an {@link
     * java.io.InputStream} on a virtual thread.
     *
     * <p>It is a mark on the handler, like {@link #blocking}, rather than a route setting, because the
     * handler's code is what reads the body differently: wherever the handler is registered, it gets
     * its body the way it was written for.
     *
     * @param handler the handler that reads the body as a stream
     * @return a handler that delegates to {@code handler} and reports {@link #isStreaming()} true
     */
    static HttpHandler streaming(HttpHandler handler) {
        return new MarkedHandler(handler, Objects.requireNonNull(handler, "handler").isBlocking(), true, "streaming");
    }

    /**
     * Marks {@code handler} as blocking: it runs on a virtual thread of its own, where it may wait
     * for a database, a file or another service, and the reactor thread is never held up.
     *
     * @param handler the handler to run off the reactor thread
     * @return a handler that delegates to {@code handler} and reports {@link #isBlocking()} true
     */
    static HttpHandler blocking(HttpHandler handler) {
        return new MarkedHandler(handler, true, Objects.requireNonNull(handler, "handler").isStreaming(), "blocking");
    }
}
