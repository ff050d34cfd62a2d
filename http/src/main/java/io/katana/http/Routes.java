package io.katana.http;

import java.util.function.Consumer;

/**
 * Where routes and filters are registered: the server's {@link HttpServer.Builder} for the whole
 * server, a {@link RouteGroup} under a path prefix. Every method returns the same object, so calls
 * chain.
 *
 * <p>Patterns are paths whose segments are literal text or a whole {@code {name}} parameter ({@link
 * HttpRequest#pathParam(String)}); literal segments win over parameters. A last segment {@code *}
 * takes the rest of the path, one segment or more ({@code /files/*} matches {@code /files/} and {@code
 * /files/a/b}, not {@code /files}), decoded, as {@code pathParam("*")}; it yields to literals and
 * parameters. In a group, a pattern is relative to the group's prefix ({@code "/"} is the prefix
 * itself). A GET route also answers HEAD unless a HEAD route is given.
 *
 * <p>A route's filters are the server's, then each enclosing group's, outer first, each in
 * registration order, whether registered before or after the route.
 *
 * <p><b>Threading:</b> not thread-safe: register everything from the thread that builds the server.
 *
 * @param <R> the registering type itself, which every method returns
 */
public interface Routes<R extends Routes<R>> {

    /**
     * Routes {@code method} requests whose path matches {@code pattern} to {@code handler}, with
     * settings that override the server's (and the enclosing groups' {@link RouteGroup#defaults}) for
     * this route only, such as its own request timeout.
     *
     * @param method the request method
     * @param pattern the path pattern, such as {@code /users/{id}/orders}
     * @param options what this route overrides; {@link RouteOptions#DEFAULT} for nothing
     * @param handler answers the matching requests; shared by every connection
     * @return this
     * @throws IllegalArgumentException if the pattern is malformed or the route is a duplicate
     */
    R route(HttpMethod method, String pattern, RouteOptions options, HttpHandler handler);

    /**
     * Adds a filter around the routes registered here; see {@link HttpFilter}. On the server, it also
     * wraps the server's 404, 405, automatic OPTIONS and 501 answers; in a group, the 405 and
     * automatic OPTIONS answers of the group's paths.
     *
     * @param filter the filter, such as a {@link Cors}
     * @return this
     */
    R filter(HttpFilter filter);

    /**
     * Adds a before-filter: it runs before the handler (after the filters registered before it) and,
     * if it answers, the chain ends there. Threading as {@link HttpFilter}.
     *
     * @param before the filter
     * @return this
     */
    R before(HttpHandler before);

    /**
     * Adds an after-filter: it runs when the response is about to leave, on the thread that sends it
     * (so also for a handler that answers later), sees the final status, and may change header fields
     * and the status but not send. It runs for error answers too. One that throws is logged and the
     * response goes on.
     *
     * @param after the filter
     * @return this
     */
    R after(HttpHandler after);

    /**
     * Adds routes under {@code prefix}, with filters of their own; see {@link RouteGroup}. Its prefix
     * follows this one's (if this is a group), its filters run after this one's.
     *
     * @param prefix a path such as {@code /api}; parameters ({@code /users/{id}}) are allowed
     * @param routes registers the group's filters and routes
     * @return this
     * @throws IllegalArgumentException if the prefix does not start with '/'
     */
    R group(String prefix, Consumer<RouteGroup> routes);

    /**
     * Routes {@code method} requests whose path matches {@code pattern} to {@code handler}.
     *
     * @param method the request method
     * @param pattern the path pattern, such as {@code /users/{id}/orders}
     * @param handler answers the matching requests; shared by every connection
     * @return this
     * @throws IllegalArgumentException if the pattern is malformed or the route is a duplicate
     */
    default R route(HttpMethod method, String pattern, HttpHandler handler) {
        return route(method, pattern, RouteOptions.DEFAULT, handler);
    }

    /**
     * Routes {@code GET} (and {@code HEAD}, unless a HEAD route is given) requests; see {@link #route}.
     *
     * @param pattern the path pattern
     * @param handler answers the matching requests
     * @return this
     */
    default R get(String pattern, HttpHandler handler) {
        return route(HttpMethod.GET, pattern, handler);
    }

    /**
     * Routes {@code HEAD} requests, overriding the GET route's automatic answer; see {@link #route}.
     *
     * @param pattern the path pattern
     * @param handler answers the matching requests
     * @return this
     */
    default R head(String pattern, HttpHandler handler) {
        return route(HttpMethod.HEAD, pattern, handler);
    }

    /**
     * Routes {@code POST} requests; see {@link #route}.
     *
     * @param pattern the path pattern
     * @param handler answers the matching requests
     * @return this
     */
    default R post(String pattern, HttpHandler handler) {
        return route(HttpMethod.POST, pattern, handler);
    }

    /**
     * Routes {@code PUT} requests; see {@link #route}.
     *
     * @param pattern the path pattern
     * @param handler answers the matching requests
     * @return this
     */
    default R put(String pattern, HttpHandler handler) {
        return route(HttpMethod.PUT, pattern, handler);
    }

    /**
     * Routes {@code DELETE} requests; see {@link #route}.
     *
     * @param pattern the path pattern
     * @param handler answers the matching requests
     * @return this
     */
    default R delete(String pattern, HttpHandler handler) {
        return route(HttpMethod.DELETE, pattern, handler);
    }

    /**
     * Routes {@code PATCH} requests; see {@link #route}.
     *
     * @param pattern the path pattern
     * @param handler answers the matching requests
     * @return this
     */
    default R patch(String pattern, HttpHandler handler) {
        return route(HttpMethod.PATCH, pattern, handler);
    }

    /**
     * Routes {@code OPTIONS} requests, replacing the automatic answer with {@code Allow}; see {@link
     * #route}.
     *
     * @param pattern the path pattern
     * @param handler answers the matching requests
     * @return this
     */
    default R options(String pattern, HttpHandler handler) {
        return route(HttpMethod.OPTIONS, pattern, handler);
    }
}
