package io.katana.http.internal;

import io.katana.http.HttpFilter;
import io.katana.http.HttpHandler;
import io.katana.http.HttpMethod;
import io.katana.http.RouteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The server itself or one route group: a path prefix, the filters and after-filters registered on
 * it, and its parent. A route's filters are those of every scope from the server down to its own,
 * outer first, each scope's in registration order.
 *
 * <p><b>Threading:</b> filled by one thread while the server is built, then only read.
 */
public final class Scope {

    private final Scope parent;
    private final String prefix;
    private final RouteTable table;
    private final List<HttpFilter> filters = new ArrayList<>();
    private final List<HttpHandler> afters = new ArrayList<>();
    private RouteOptions defaults = RouteOptions.DEFAULT;

    private Scope(Scope parent, String prefix, RouteTable table) {
        this.parent = parent;
        this.prefix = prefix;
        this.table = table;
    }

    /** The server's own scope, whose routes go into {@code table}. */
    public static Scope root(RouteTable table) {
        return new Scope(null, "", Objects.requireNonNull(table, "table"));
    }

    /**
     * A group under this scope.
     *
     * @param groupPrefix a path such as {@code /api} or {@code /users/{id}}; a trailing '/' is ignored
     * @throws IllegalArgumentException if the prefix does not start with '/'
     */
    public Scope child(String groupPrefix) {
        Objects.requireNonNull(groupPrefix, "prefix");
        if (!groupPrefix.startsWith("/")) {
            throw new IllegalArgumentException("group prefix must start with '/': \"" + groupPrefix + "\"");
        }
        String trimmed = groupPrefix;
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return new Scope(this, prefix + trimmed, table);
    }

    /** Registers a route whose pattern is relative to this scope's prefix ("/" is the prefix itself). */
    public void route(HttpMethod method, String pattern, RouteOptions options, HttpHandler handler) {
        Objects.requireNonNull(pattern, "pattern");
        String full = prefix.isEmpty() || !pattern.equals("/") ? prefix + pattern : prefix;
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("route pattern must start with '/': \"" + pattern + "\"");
        }
        table.add(Route.of(Objects.requireNonNull(method, "method"), full,
                Objects.requireNonNull(options, "options").orElse(defaults()), handler), this);
    }

    public void filter(HttpFilter filter) {
        filters.add(Objects.requireNonNull(filter, "filter"));
    }

    /** A before-filter: runs first and, if it answers, ends the chain. */
    public void before(HttpHandler before) {
        Objects.requireNonNull(before, "before");
        filters.add(new BeforeFilter(before));
    }

    public void after(HttpHandler after) {
        afters.add(Objects.requireNonNull(after, "after"));
    }

    /**
     * Settings for the routes of this scope that leave them unset, themselves falling back on the
     * enclosing scope's; they apply to routes registered after this call.
     */
    public void defaults(RouteOptions options) {
        this.defaults = Objects.requireNonNull(options, "options");
    }

    private RouteOptions defaults() {
        return parent == null ? defaults : defaults.orElse(parent.defaults());
    }

    /** The full prefix of this scope, "" for the server. */
    public String prefix() {
        return prefix;
    }

    /** Every filter from the server's down to this scope's, in the order they run. */
    List<HttpFilter> chainFilters() {
        List<HttpFilter> all = parent == null ? new ArrayList<>() : parent.chainFilters();
        all.addAll(filters);
        return all;
    }

    /** Every after-filter from the server's down to this scope's, in the order they run. */
    List<HttpHandler> chainAfters() {
        List<HttpHandler> all = parent == null ? new ArrayList<>() : parent.chainAfters();
        all.addAll(afters);
        return all;
    }

    /** Adapts a before-filter to the chain. */
    private record BeforeFilter(HttpHandler before) implements HttpFilter {
        @Override
        public void filter(io.katana.http.HttpRequest request, io.katana.http.HttpResponse response, HttpHandler next)
                throws Exception {
            before.handle(request, response);
            if (!response.isCommitted()) {
                next.handle(request, response);
            }
        }
    }
}
