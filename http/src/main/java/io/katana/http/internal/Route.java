package io.katana.http.internal;

import io.katana.http.HttpHandler;
import io.katana.http.HttpMethod;
import io.katana.http.RouteOptions;
import java.util.List;
import java.util.Objects;

/**
 * One registered route: a method, a path pattern such as {@code /users/{id}}, its handler and the
 * settings it overrides.
 *
 * <p><b>Threading:</b> immutable; safe to share between threads.
 *
 * @param method the method it answers
 * @param pattern the pattern as registered
 * @param handler what answers it
 * @param options the settings it overrides
 * @param segments the pattern's segments: literals (decoded) and parameters ({@code {name}})
 */
public record Route(HttpMethod method, String pattern, HttpHandler handler, RouteOptions options, List<Segment> segments) {

    /**
     * One segment of a pattern.
     *
     * @param literal the text to match, or null for a parameter
     * @param parameter the parameter's name, or null for a literal
     */
    public record Segment(String literal, String parameter) {
        public boolean isParameter() {
            return parameter != null;
        }

        /** Whether this is a final {@code *}: the rest of the path, one segment or more, as parameter "*". */
        public boolean isTail() {
            return TAIL.equals(parameter);
        }
    }

    /** The name of the parameter holding what a final {@code *} matched. */
    public static final String TAIL = "*";

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        if (!handler.isStreaming() && options.maxBodyBytes().orElse(0) > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("route " + method + " " + pattern + ": a body limit over "
                    + (Integer.MAX_VALUE - 16) + " bytes needs a streaming handler (HttpHandler.streaming), since"
                    + " any other gets its body in one array");
        }
        segments = List.copyOf(segments);
    }

    /**
     * Parses {@code pattern}: it starts with '/', segments are separated by '/', and a segment is
     * either literal text or a whole {@code {name}} (letters, digits, '_'); the last may be {@code *},
     * the rest of the path.
     *
     * @throws IllegalArgumentException if the pattern is malformed, saying where
     */
    public static Route of(HttpMethod method, String pattern, HttpHandler handler) {
        return of(method, pattern, RouteOptions.DEFAULT, handler);
    }

    /**
     * As {@link #of(HttpMethod, String, HttpHandler)}, with settings of its own.
     *
     * @throws IllegalArgumentException if the pattern is malformed, saying where
     */
    public static Route of(HttpMethod method, String pattern, RouteOptions options, HttpHandler handler) {
        Objects.requireNonNull(pattern, "pattern");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("route pattern must start with '/': \"" + pattern + "\"");
        }
        List<Segment> segments = new java.util.ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        String[] parts = pattern.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.equals(TAIL)) {
                if (i != parts.length - 1) {
                    throw new IllegalArgumentException("'*' in \"" + pattern + "\" must be the last segment: it"
                            + " matches the rest of the path");
                }
                segments.add(new Segment(null, TAIL));
            } else if (part.startsWith("{") && part.endsWith("}") && part.length() > 2) {
                String name = part.substring(1, part.length() - 1);
                if (!name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
                    throw new IllegalArgumentException("path parameter name '" + name + "' in \"" + pattern
                            + "\" may hold only letters, digits and '_'");
                }
                if (!names.add(name)) {
                    throw new IllegalArgumentException("path parameter '" + name + "' appears twice in \"" + pattern + "\"");
                }
                segments.add(new Segment(null, name));
            } else if (part.indexOf('{') >= 0 || part.indexOf('}') >= 0) {
                throw new IllegalArgumentException("segment '" + part + "' of \"" + pattern
                        + "\": a parameter must be a whole segment, written {name}");
            } else {
                segments.add(new Segment(part, null));
            }
        }
        return new Route(method, pattern, handler, options, segments);
    }

    /** {@return this route answered by {@code other} instead} */
    public Route withHandler(HttpHandler other) {
        return new Route(method, pattern, other, options, segments);
    }

    /** The names of the pattern's parameters, in order. */
    public String[] parameterNames() {
        return segments.stream().filter(Segment::isParameter).map(Segment::parameter).toArray(String[]::new);
    }
}
