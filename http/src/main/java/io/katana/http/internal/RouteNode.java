package io.katana.http.internal;

import io.katana.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of the routing tree: the routes that end here, by method, and the children for the next
 * path segment (literal children first, one parameter child).
 *
 * <p><b>Threading:</b> built by one thread, then only read; safely published by the final fields of
 * {@link Router}.
 */
final class RouteNode {

    private byte[][] literals = new byte[0][];
    private RouteNode[] literalChildren = new RouteNode[0];
    private RouteNode parameterChild;
    private RouteNode tailChild;
    private final Map<HttpMethod, Route> routes = new LinkedHashMap<>();
    private Route get;
    private String allow;

    RouteNode literalChild(String literal) {
        byte[] key = literal.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < literals.length; i++) {
            if (Arrays.equals(literals[i], key)) {
                return literalChildren[i];
            }
        }
        literals = Arrays.copyOf(literals, literals.length + 1);
        literalChildren = Arrays.copyOf(literalChildren, literalChildren.length + 1);
        literals[literals.length - 1] = key;
        RouteNode child = new RouteNode();
        literalChildren[literalChildren.length - 1] = child;
        return child;
    }

    RouteNode parameterChild() {
        if (parameterChild == null) {
            parameterChild = new RouteNode();
        }
        return parameterChild;
    }

    RouteNode tailChild() {
        if (tailChild == null) {
            tailChild = new RouteNode();
        }
        return tailChild;
    }

    void add(Route route) {
        Route previous = routes.putIfAbsent(route.method(), route);
        if (previous != null) {
            throw new IllegalArgumentException("two routes for " + route.method() + " " + route.pattern()
                    + (previous.pattern().equals(route.pattern()) ? "" : " and " + previous.pattern()));
        }
        if (route.method().equals(HttpMethod.GET)) {
            get = route;
        }
        List<String> methods = new ArrayList<>();
        for (HttpMethod method : routes.keySet()) {
            methods.add(method.name());
        }
        if (get != null && !routes.containsKey(HttpMethod.HEAD)) {
            methods.add(methods.indexOf("GET") + 1, "HEAD");
        }
        if (!routes.containsKey(HttpMethod.OPTIONS)) {
            methods.add("OPTIONS");
        }
        allow = String.join(", ", methods);
    }

    boolean hasRoutes() {
        return !routes.isEmpty();
    }

    /** The route for {@code method}; HEAD falls back to GET. */
    Route route(HttpMethod method) {
        if (method == HttpMethod.GET) {
            return get;
        }
        Route route = routes.get(method);
        if (route == null && method == HttpMethod.HEAD) {
            return get;
        }
        return route;
    }

    /** One of the routes that end here; null when none does. */
    Route anyRoute() {
        return routes.isEmpty() ? null : routes.values().iterator().next();
    }

    /** The Allow header value for this path. */
    String allow() {
        return allow;
    }

    int literalCount() {
        return literals.length;
    }

    byte[] literal(int index) {
        return literals[index];
    }

    RouteNode literalChildAt(int index) {
        return literalChildren[index];
    }

    RouteNode parameter() {
        return parameterChild;
    }

    /** The node of a final {@code *} below this one, or null. */
    RouteNode tail() {
        return tailChild;
    }
}
