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
    private static final int PAYLOAD_TOO_LARGE = 4;
    private static final int SERVICE_UNAVAILABLE = 5;

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

    /**
     * The answer for an error the connection decides about a routed request, outside its handler: 413
     * (a body over the route's limit, refused up front or when a chunked body overruns it) or 503 (the
     * request timeout). It passes through the filters of the route's groups (the server's for a request
     * no route takes, or null {@code route}), so the headers they set survive, and is shaped by the
     * error handler registered for the status. An answer that the handler (or a filter) leaves unsent
     * when it returns is sent plain.
     *
     * @return the handler, or null when nothing would shape the answer: no error handler for the
     *     status and nothing around the route, so the connection's own plain answer is as good
     */
    public HttpHandler errorAnswer(int status, Route route) {
        int index = switch (status) {
            case 413 -> PAYLOAD_TOO_LARGE;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> throw new IllegalArgumentException("no route-level error answer for status " + status);
        };
        Scope scope = route == null ? null : scopeOfRoute.get(route);
        HttpHandler handler = (scope == null ? unmatchedAtRoot : unmatchedByScope.get(scope))[index];
        return handler instanceof ErrorAnswer && !errors.handles(status) ? null : handler;
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
        HttpHandler[] handlers = new HttpHandler[6];
        handlers[NOT_FOUND] = new AllowFirst(compose(scope, new ErrorAnswer(404, errors)));
        handlers[METHOD_NOT_ALLOWED] = new AllowFirst(compose(scope, new ErrorAnswer(405, errors)));
        handlers[OPTIONS] = new AllowFirst(compose(scope, (req, res) -> res.status(204).send()));
        handlers[NOT_IMPLEMENTED] = new AllowFirst(compose(scope, new ErrorAnswer(501, errors)));
        handlers[PAYLOAD_TOO_LARGE] = compose(scope, new ErrorAnswer(413, errors, true));
        handlers[SERVICE_UNAVAILABLE] = compose(scope, new ErrorAnswer(503, errors, true));
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

    /**
     * The server's own error answer for a status, shaped by the error handler registered for it.
     *
     * @param answersNow whether an answer the handler leaves unsent is sent plain when it returns: for
     *     the errors the connection decides, which no handler of the route will answer later
     */
    private record ErrorAnswer(int status, ErrorResponder errors, boolean answersNow) implements HttpHandler {
        ErrorAnswer(int status, ErrorResponder errors) {
            this(status, errors, false);
        }

        @Override
        public void handle(HttpRequest request, HttpResponse response) {
            errors.answer(status, request, response, answersNow);
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
