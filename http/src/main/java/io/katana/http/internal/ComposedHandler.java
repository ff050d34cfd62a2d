package io.katana.http.internal;

import io.katana.http.HttpFilter;
import io.katana.http.HttpHandler;
import io.katana.http.HttpRequest;
import io.katana.http.HttpResponse;

/**
 * A route's handler with its filters around it, its after-filters, gzip and access log on its
 * response, and the error handlers behind it. The chain of filters is built once; a request
 * allocates only the response wrapper, and only when after-filters, gzip or the access log need it.
 *
 * <p><b>Threading:</b> immutable; the whole chain runs on the thread the handler runs on: the
 * reactor's, or a virtual thread of its own when the handler is blocking.
 */
final class ComposedHandler implements HttpHandler {

    private final HttpHandler chain;
    private final HttpHandler handler;
    private final ResponseFeatures features;
    private final ErrorResponder errors;

    /**
     * @param features what wraps the response, or null for nothing
     */
    ComposedHandler(HttpFilter[] filters, HttpHandler handler, ResponseFeatures features, ErrorResponder errors) {
        HttpHandler next = new HandlerStart(handler);
        for (int i = filters.length - 1; i >= 0; i--) {
            next = new FilterStep(filters[i], next);
        }
        this.chain = next;
        this.handler = handler;
        this.features = features;
        this.errors = errors;
    }

    @Override
    public void handle(HttpRequest request, HttpResponse response) throws Exception {
        HttpResponse out = features == null ? response : new ExchangeResponse(request, (ServerResponse) response, features);
        try {
            chain.handle(request, out);
        } catch (Throwable t) {
            errors.failed(t, request, out);
        }
    }

    @Override
    public boolean isBlocking() {
        return handler.isBlocking();
    }

    @Override
    public boolean isStreaming() {
        return handler.isStreaming();
    }

    @Override
    public String toString() {
        return "composed(" + handler + ")";
    }

    /** One filter and the rest of the chain after it. */
    private record FilterStep(HttpFilter filter, HttpHandler next) implements HttpHandler {
        @Override
        public void handle(HttpRequest request, HttpResponse response) throws Exception {
            filter.filter(request, response, next);
        }
    }

    /** The end of the chain: notes which header fields the filters set, then runs the handler. */
    private record HandlerStart(HttpHandler handler) implements HttpHandler {
        @Override
        public void handle(HttpRequest request, HttpResponse response) throws Exception {
            ServerResponse server = ExchangeResponse.unwrap(response);
            if (server != null) {
                server.markHandlerHeaders();
            }
            handler.handle(request, response);
        }
    }
}
