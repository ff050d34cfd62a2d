package io.katana.http.internal;

import io.katana.http.AccessLogFormat;
import io.katana.http.Gzip;
import io.katana.http.HttpFilter;
import io.katana.http.HttpHandler;
import io.katana.http.HttpRequest;
import io.katana.http.HttpResponse;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a server together once, when it is built: every route's handler wrapped with the filters of
 * its scopes, its after-filters, gzip, the access log and the error handlers; and the answers for
 * requests no route takes (404, 405, the automatic OPTIONS, 501), which pass through the same filters
 * as the routes of their path (or the server's, for a path no route has).
 *
 * <p>A route with nothing around it keeps its own handler: a server that uses none of this pays
 * nothing per request.
 *
 * <p><b>Threading:</b> immutable after construction; safe to share between threads.
 */
public final class Composition {

    private static final int NOT_FOUND = 0;
    private static final int METHOD_NOT_ALLOWED = 1;
    private static final int OPTIONS = 2;
    private static final int NOT_IMPLEMENTED = 3;

    private final ErrorResponder errors;
    private final Gzip gzip;
    private final AccessLog accessLog;
    private final List<Route> routes = new ArrayList<>();
    private final Map<Route, Scope> scopeOfRoute = new IdentityHashMap<>();
    private final Map<Scope, HttpHandler[]> unmatchedByScope = new IdentityHashMap<>();
    private final HttpHandler[] unmatchedAtRoot;

    /**
     * @param gzip compression settings, or null for none
     * @param accessLogFormat the access log's format, or null when it is off
     */
    public Composition(RouteTable table, Scope root, ErrorResponder errors, Gzip gzip, AccessLogFormat accessLogFormat) {
        this.errors = errors;
        this.gzip = gzip;
        this.accessLog = accessLogFormat == null ? null : new AccessLog(accessLogFormat);
        List<Route> registered = table.routes();
        for (int i = 0; i < registered.size(); i++) {
            Route route = registered.get(i);
            Scope scope = table.scopeOf(i);
            Route composed = route.withHandler(compose(scope, route.handler()));
            routes.add(composed);
            scopeOfRoute.put(composed, scope);
        }
        this.unmatchedAtRoot = unmatched(root);
    }

    /** The routes, each with its composed handler: what the {@link Router} is built from. */
    public List<Route> routes() {
        return routes;
    }

    /** The handler for a request {@code match} found no route for; the path's scope decides its filters. */
    public HttpHandler unmatched(RouteMatch match) {
        return switch (match.outcome()) {
            case RouteMatch.NOT_FOUND -> unmatchedAtRoot[NOT_FOUND];
            case RouteMatch.METHOD_NOT_ALLOWED -> atPath(match)[METHOD_NOT_ALLOWED];
            case RouteMatch.OPTIONS -> atPath(match)[OPTIONS];
            default -> unmatchedAtRoot[NOT_IMPLEMENTED];
        };
    }

    private HttpHandler[] atPath(RouteMatch match) {
        Scope scope = match.routeAtPath() == null ? null : scopeOfRoute.get(match.routeAtPath());
        return scope == null ? unmatchedAtRoot : unmatchedByScope.get(scope);
    }

    private HttpHandler[] unmatched(Scope root) {
        for (Scope scope : scopeOfRoute.values()) {
            unmatchedByScope.computeIfAbsent(scope, this::unmatchedHandlers);
        }
        return unmatchedByScope.computeIfAbsent(root, this::unmatchedHandlers);
    }

    private HttpHandler[] unmatchedHandlers(Scope scope) {
        HttpHandler[] handlers = new HttpHandler[4];
        handlers[NOT_FOUND] = new AllowFirst(compose(scope, new ErrorAnswer(404, errors)));
        handlers[METHOD_NOT_ALLOWED] = new AllowFirst(compose(scope, new ErrorAnswer(405, errors)));
        handlers[OPTIONS] = new AllowFirst(compose(scope, (req, res) -> res.status(204).send()));
        handlers[NOT_IMPLEMENTED] = new AllowFirst(compose(scope, new ErrorAnswer(501, errors)));
        return handlers;
    }

    private HttpHandler compose(Scope scope, HttpHandler handler) {
        List<HttpFilter> filters = scope.chainFilters();
        List<HttpHandler> afters = scope.chainAfters();
        boolean wrapsResponse = !afters.isEmpty() || gzip != null || accessLog != null;
        if (filters.isEmpty() && !wrapsResponse && errors.isEmpty()) {
            return handler;
        }
        ResponseFeatures features = wrapsResponse
                ? new ResponseFeatures(afters.toArray(HttpHandler[]::new), gzip, accessLog)
                : null;
        return new ComposedHandler(filters.toArray(HttpFilter[]::new), handler, features, errors);
    }

    /** The server's own error answer for a status, shaped by the error handler registered for it. */
    private record ErrorAnswer(int status, ErrorResponder errors) implements HttpHandler {
        @Override
        public void handle(HttpRequest request, HttpResponse response) {
            errors.answer(status, request, response);
        }

        @Override
        public boolean isBlocking() {
            return errors.isBlocking(status);
        }
    }

    /**
     * Sets {@code Allow} (405 and the automatic OPTIONS) before the filters run, so the header stays
     * whatever the error handler does.
     */
    private record AllowFirst(HttpHandler next) implements HttpHandler {
        @Override
        public void handle(HttpRequest request, HttpResponse response) throws Exception {
            String allow = ((ServerRequest) request).match().allow();
            if (allow != null) {
                response.header("Allow", allow);
            }
            next.handle(request, response);
        }

        @Override
        public boolean isBlocking() {
            return next.isBlocking();
        }
    }
}
