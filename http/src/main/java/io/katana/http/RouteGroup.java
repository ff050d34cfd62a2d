package io.katana.http;

import io.katana.http.internal.Scope;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Routes under one path prefix, with filters of their own, made by {@link
 * HttpServer.Builder#group(String, Consumer)}; groups nest.
 *
 * <pre>{@code
 * builder.group("/api", api -> {
 *     api.before((req, res) -> { if (!signedIn(req)) res.status(401).send(); });
 *     api.get("/todos", (req, res) -> res.send(list()));            // GET /api/todos
 *     api.group("/admin", admin -> admin.delete("/todos/{id}", ...)); // DELETE /api/admin/todos/{id}
 * });
 * }</pre>
 *
 * <p>A route's filters are the server's, then each enclosing group's, outer first, each in
 * registration order, whether registered before or after the route. A group's filters also shape the
 * 405 and automatic {@code OPTIONS} answers of its paths; a path no route has (404) gets the server's
 * filters only.
 *
 * <p><b>Threading:</b> not thread-safe; use it only inside the {@code group} call that made it.
 */
public final class RouteGroup {

    private final Scope scope;

    RouteGroup(Scope scope) {
        this.scope = scope;
    }

    /**
     * Adds a filter around this group's routes; see {@link HttpFilter}.
     *
     * @param filter the filter
     * @return this group
     */
    public RouteGroup filter(HttpFilter filter) {
        scope.filter(filter);
        return this;
    }

    /**
     * Adds a before-filter: it runs before the handler (after the filters registered before it) and,
     * if it answers, the chain ends there. Threading as {@link HttpFilter}.
     *
     * @param before the filter
     * @return this group
     */
    public RouteGroup before(HttpHandler before) {
        scope.before(before);
        return this;
    }

    /**
     * Adds an after-filter: it runs when the response is about to leave, on the thread that sends it,
     * whenever that is; it sees the final status and may change header fields and the status, but not
     * send. It runs for error answers too. One that throws is logged and the response goes on.
     *
     * @param after the filter
     * @return this group
     */
    public RouteGroup after(HttpHandler after) {
        scope.after(after);
        return this;
    }

    /**
     * Sets what this group's routes use where their own {@link RouteOptions} leave a setting unset
     * (and where those are unset, the enclosing group's); for example a longer request timeout for a
     * group of report routes. Applies to routes registered after this call, so call it first.
     *
     * @param options the group's defaults
     * @return this group
     */
    public RouteGroup defaults(RouteOptions options) {
        scope.defaults(options);
        return this;
    }

    /**
     * Routes {@code method} requests for {@code pattern}, relative to this group's prefix, with
     * settings of its own; see {@link HttpServer.Builder#route(HttpMethod, String, RouteOptions,
     * HttpHandler)}.
     *
     * @param method the request method
     * @param pattern the path pattern under the prefix
     * @param options what this route overrides; unset settings come from the group's {@link #defaults}
     * @param handler answers the matching requests
     * @return this group
     * @throws IllegalArgumentException if the pattern is malformed or the route is a duplicate
     */
    public RouteGroup route(HttpMethod method, String pattern, RouteOptions options, HttpHandler handler) {
        scope.route(method, pattern, options, handler);
        return this;
    }

    /**
     * Routes {@code method} requests for {@code pattern}, relative to this group's prefix ({@code "/"}
     * is the prefix itself); see {@link HttpServer.Builder#route}.
     *
     * @param method the request method
     * @param pattern the path pattern under the prefix
     * @param handler answers the matching requests
     * @return this group
     * @throws IllegalArgumentException if the pattern is malformed or the route is a duplicate
     */
    public RouteGroup route(HttpMethod method, String pattern, HttpHandler handler) {
        scope.route(method, pattern, RouteOptions.DEFAULT, handler);
        return this;
    }

    /**
     * Routes {@code GET} (and {@code HEAD}); see {@link #route}.
     *
     * @param pattern the path pattern under the prefix
     * @param handler answers the matching requests
     * @return this group
     */
    public RouteGroup get(String pattern, HttpHandler handler) {
        return route(HttpMethod.GET, pattern, handler);
    }

    /**
     * Routes {@code HEAD}; see {@link #route}.
     *
     * @param pattern the path pattern under the prefix
     * @param handler answers the matching requests
     * @return this group
     */
    public RouteGroup head(String pattern, HttpHandler handler) {
        return route(HttpMethod.HEAD, pattern, handler);
    }

    /**
     * Routes {@code POST}; see {@link #route}.
     *
     * @param pattern the path pattern under the prefix
     * @param handler answers the matching requests
     * @return this group
     */
    public RouteGroup post(String pattern, HttpHandler handler) {
        return route(HttpMethod.POST, pattern, handler);
    }

    /**
     * Routes {@code PUT}; see {@link #route}.
     *
     * @param pattern the path pattern under the prefix
     * @param handler answers the matching requests
     * @return this group
     */
    public RouteGroup put(String pattern, HttpHandler handler) {
        return route(HttpMethod.PUT, pattern, handler);
    }

    /**
     * Routes {@code DELETE}; see {@link #route}.
     *
     * @param pattern the path pattern under the prefix
     * @param handler answers the matching requests
     * @return this group
     */
    public RouteGroup delete(String pattern, HttpHandler handler) {
        return route(HttpMethod.DELETE, pattern, handler);
    }

    /**
     * Routes {@code PATCH}; see {@link #route}.
     *
     * @param pattern the path pattern under the prefix
     * @param handler answers the matching requests
     * @return this group
     */
    public RouteGroup patch(String pattern, HttpHandler handler) {
        return route(HttpMethod.PATCH, pattern, handler);
    }

    /**
     * Routes {@code OPTIONS}, replacing the automatic answer; see {@link #route}.
     *
     * @param pattern the path pattern under the prefix
     * @param handler answers the matching requests
     * @return this group
     */
    public RouteGroup options(String pattern, HttpHandler handler) {
        return route(HttpMethod.OPTIONS, pattern, handler);
    }

    /**
     * Adds a group nested in this one: its prefix follows this group's, its filters run after this
     * group's.
     *
     * @param prefix a path such as {@code /admin}, relative to this group's prefix
     * @param routes registers the nested group's filters and routes
     * @return this group
     * @throws IllegalArgumentException if the prefix does not start with '/'
     */
    public RouteGroup group(String prefix, Consumer<RouteGroup> routes) {
        Objects.requireNonNull(routes, "routes").accept(new RouteGroup(scope.child(prefix)));
        return this;
    }

    @Override
    public String toString() {
        return "RouteGroup[" + scope.prefix() + "]";
    }
}
