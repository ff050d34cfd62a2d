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
public final class RouteGroup implements Routes<RouteGroup> {

    private final Scope scope;

    RouteGroup(Scope scope) {
        this.scope = scope;
    }

    @Override
    public RouteGroup filter(HttpFilter filter) {
        scope.filter(filter);
        return this;
    }

    @Override
    public RouteGroup before(HttpHandler before) {
        scope.before(before);
        return this;
    }

    @Override
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

    @Override
    public RouteGroup route(HttpMethod method, String pattern, RouteOptions options, HttpHandler handler) {
        scope.route(method, pattern, options, handler);
        return this;
    }

    @Override
    public RouteGroup group(String prefix, Consumer<RouteGroup> routes) {
        Objects.requireNonNull(routes, "routes").accept(new RouteGroup(scope.child(prefix)));
        return this;
    }

    @Override
    public String toString() {
        return "RouteGroup[" + scope.prefix() + "]";
    }
}
