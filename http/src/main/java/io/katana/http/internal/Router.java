package io.katana.http.internal;

import io.katana.http.HttpMethod;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the route for a request by method and path, reading the path's bytes in place: no strings,
 * no allocation. Literal segments win over parameters; when a literal branch leads nowhere the
 * parameter branch is tried (so {@code /users/new} and {@code /users/{id}} coexist), then a final
 * {@code *} that takes the rest of the path. Percent-encoded path bytes are decoded while comparing.
 *
 * <p>When no route matches: 501 for a method no route knows that RFC 9110 does not define either,
 * 404 for a path no route has, 405 (with the path's {@code Allow}) for a known path and another
 * method, and, for OPTIONS on a known path without an OPTIONS route, an automatic answer.
 *
 * <p><b>Threading:</b> immutable after construction; safe to share between threads.
 */
public final class Router {

    private final RouteNode root = new RouteNode();
    private final Set<HttpMethod> methods = new LinkedHashSet<>();
    private final String allowAll;
    private final List<Route> routes;

    /** @throws IllegalArgumentException if two routes have the same method and equivalent patterns */
    public Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
        for (Route route : routes) {
            RouteNode node = root;
            for (Route.Segment segment : route.segments()) {
                node = segment.isTail() ? node.tailChild()
                        : segment.isParameter() ? node.parameterChild() : node.literalChild(segment.literal());
            }
            node.add(route);
            methods.add(route.method());
        }
        List<String> all = new ArrayList<>();
        for (HttpMethod method : methods) {
            all.add(method.name());
        }
        if (methods.contains(HttpMethod.GET) && !methods.contains(HttpMethod.HEAD)) {
            all.add(all.indexOf("GET") + 1, "HEAD");
        }
        if (!methods.contains(HttpMethod.OPTIONS)) {
            all.add("OPTIONS");
        }
        allowAll = String.join(", ", all);
    }

    /** {@return every route, in the order given} */
    public List<Route> routes() {
        return routes;
    }

    /** The Allow value for {@code OPTIONS *}: every method some route answers. */
    public String allowAll() {
        return allowAll;
    }

    /** Routes the request described by {@code head}; the outcome goes into {@code out}. */
    public void match(RequestHead head, RouteMatch out) {
        out.route = null;
        out.allow = null;
        out.routeAtPath = null;
        out.segmentCount = 0;
        out.tailParameter = -1;
        HttpMethod method = head.method();
        if (!method.isStandard() && !methods.contains(method)) {
            out.outcome = RouteMatch.NOT_IMPLEMENTED;
            return;
        }
        splitSegments(head, out);
        Route route = find(head, root, 0, 0, method, out);
        if (route != null) {
            out.outcome = RouteMatch.FOUND;
            out.route = route;
            return;
        }
        RouteNode node = findPath(head, root, 0, out);
        if (node == null) {
            out.outcome = RouteMatch.NOT_FOUND;
        } else {
            out.outcome = method == HttpMethod.OPTIONS ? RouteMatch.OPTIONS : RouteMatch.METHOD_NOT_ALLOWED;
            out.allow = node.allow();
            out.routeAtPath = node.anyRoute();
        }
    }

    private static void splitSegments(RequestHead head, RouteMatch out) {
        int start = head.pathStart();
        int end = head.pathEnd();
        if (start == end) {
            out.addSegment(start, start); // an empty path (absolute-form) is "/"
            return;
        }
        int segmentStart = start + 1;
        for (int i = segmentStart; i <= end; i++) {
            if (i == end || head.byteAt(i) == '/') {
                out.addSegment(segmentStart, i);
                segmentStart = i + 1;
            }
        }
    }

    private static Route find(RequestHead head, RouteNode node, int segment, int depth, HttpMethod method, RouteMatch out) {
        if (segment == out.segmentCount) {
            return node.route(method);
        }
        int start = out.segmentStarts[segment];
        int end = out.segmentEnds[segment];
        for (int i = 0; i < node.literalCount(); i++) {
            if (segmentEquals(head, start, end, node.literal(i))) {
                Route route = find(head, node.literalChildAt(i), segment + 1, depth, method, out);
                if (route != null) {
                    return route;
                }
            }
        }
        RouteNode parameter = node.parameter();
        if (parameter != null && end > start) {
            out.parameterAt(depth, segment);
            Route route = find(head, parameter, segment + 1, depth + 1, method, out);
            if (route != null) {
                return route;
            }
        }
        RouteNode tail = node.tail();
        Route route = tail == null ? null : tail.route(method);
        if (route != null) {
            out.tailAt(depth, segment);
        }
        return route;
    }

    private static RouteNode findPath(RequestHead head, RouteNode node, int segment, RouteMatch out) {
        if (segment == out.segmentCount) {
            return node.hasRoutes() ? node : null;
        }
        int start = out.segmentStarts[segment];
        int end = out.segmentEnds[segment];
        for (int i = 0; i < node.literalCount(); i++) {
            if (segmentEquals(head, start, end, node.literal(i))) {
                RouteNode found = findPath(head, node.literalChildAt(i), segment + 1, out);
                if (found != null) {
                    return found;
                }
            }
        }
        RouteNode parameter = node.parameter();
        if (parameter != null && end > start) {
            RouteNode found = findPath(head, parameter, segment + 1, out);
            if (found != null) {
                return found;
            }
        }
        RouteNode tail = node.tail();
        return tail != null && tail.hasRoutes() ? tail : null;
    }

    /** Whether the path bytes between two offsets, percent-decoded, equal {@code literal}. */
    private static boolean segmentEquals(RequestHead head, int start, int end, byte[] literal) {
        int j = 0;
        int i = start;
        while (i < end) {
            int b = head.byteAt(i);
            if (b == '%') {
                // The parser checked every '%' in a path is followed by two hex digits.
                b = Ascii.hexValue(head.byteAt(i + 1)) * 16 + Ascii.hexValue(head.byteAt(i + 2));
                i += 3;
            } else {
                i++;
            }
            if (j >= literal.length || literal[j] != (byte) b) {
                return false;
            }
            j++;
        }
        return j == literal.length;
    }
}
