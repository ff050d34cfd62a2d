package io.katana.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A ready filter for cross-origin resource sharing (the Fetch standard's CORS protocol), to register
 * with {@link HttpServer.Builder#filter} or on a {@link RouteGroup}.
 *
 * <pre>{@code
 * builder.filter(Cors.builder()
 *         .allowOrigins("https://app.example.com")
 *         .allowMethods(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE)
 *         .allowHeaders("Content-Type", "Authorization")
 *         .allowCredentials(true)
 *         .maxAge(Duration.ofMinutes(10))
 *         .build());
 * }</pre>
 *
 * <ul>
 *   <li>A preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method})
 *       from an allowed origin, for an allowed method and headers, is answered {@code 204} here with
 *       {@code Access-Control-Allow-Origin}, {@code -Allow-Methods}, {@code -Allow-Headers}, and
 *       {@code -Allow-Credentials} and {@code -Max-Age} when set; the route is not called.
 *   <li>Any other request from an allowed origin gets {@code Access-Control-Allow-Origin} (with
 *       {@code Vary: Origin} unless it is {@code *}), {@code -Allow-Credentials} and {@code
 *       -Expose-Headers} when set, before the route runs, so error answers carry them too.
 *   <li>A request from an origin not allowed, or a preflight asking for a method or header not
 *       allowed, gets no CORS header at all and goes on as if this filter were absent: the browser
 *       then withholds the response from the page.
 * </ul>
 *
 * <p><b>Threading:</b> immutable; safe to share between threads. The {@link Builder} is not
 * thread-safe.
 */
public final class Cors implements HttpFilter {

    private final boolean anyOrigin;
    private final Set<String> origins;
    private final Set<String> methods;
    private final String methodsValue;
    private final boolean anyHeader;
    private final Set<String> headers;
    private final String headersValue;
    private final String exposeValue;
    private final boolean credentials;
    private final String maxAgeValue;

    private Cors(Builder builder) {
        this.anyOrigin = builder.origins.contains("*");
        this.origins = lowerCase(builder.origins);
        this.methods = new LinkedHashSet<>(builder.methods);
        this.methodsValue = String.join(", ", builder.methods);
        this.anyHeader = builder.headers.contains("*");
        this.headers = lowerCase(builder.headers);
        this.headersValue = String.join(", ", builder.headers);
        this.exposeValue = builder.expose.isEmpty() ? null : String.join(", ", builder.expose);
        this.credentials = builder.credentials;
        this.maxAgeValue = builder.maxAge == null ? null : Long.toString(builder.maxAge.toSeconds());
    }

    /** {@return a builder: no origin allowed yet; methods GET, HEAD, POST; no extra headers; no credentials} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void filter(HttpRequest request, HttpResponse response, HttpHandler next) throws Exception {
        String origin = request.header("Origin");
        if (origin == null || !originAllowed(origin)) {
            next.handle(request, response);
            return;
        }
        String preflightMethod = request.method() == HttpMethod.OPTIONS ? request.header("Access-Control-Request-Method") : null;
        if (preflightMethod != null) {
            String requestedHeaders = request.header("Access-Control-Request-Headers");
            if (!methods.contains(preflightMethod) || !headersAllowed(requestedHeaders)) {
                next.handle(request, response);
                return;
            }
            allowOrigin(origin, response);
            response.addHeader("Vary", "Access-Control-Request-Method, Access-Control-Request-Headers");
            response.header("Access-Control-Allow-Methods", methodsValue);
            if (requestedHeaders != null && !requestedHeaders.isBlank()) {
                // With "*" the request's own list is echoed: a credentialed preflight takes "*" literally.
                response.header("Access-Control-Allow-Headers", anyHeader ? requestedHeaders : headersValue);
            }
            if (maxAgeValue != null) {
                response.header("Access-Control-Max-Age", maxAgeValue);
            }
            response.status(204).send();
            return;
        }
        allowOrigin(origin, response);
        if (exposeValue != null) {
            response.header("Access-Control-Expose-Headers", exposeValue);
        }
        next.handle(request, response);
    }

    private void allowOrigin(String origin, HttpResponse response) {
        if (anyOrigin && !credentials) {
            response.header("Access-Control-Allow-Origin", "*");
        } else {
            response.header("Access-Control-Allow-Origin", origin);
            response.addHeader("Vary", "Origin");
        }
        if (credentials) {
            response.header("Access-Control-Allow-Credentials", "true");
        }
    }

    private boolean originAllowed(String origin) {
        return anyOrigin || origins.contains(origin.toLowerCase(Locale.ROOT));
    }

    private boolean headersAllowed(String requested) {
        if (requested == null || anyHeader) {
            return true;
        }
        for (String name : requested.split(",")) {
            String field = name.strip().toLowerCase(Locale.ROOT);
            if (!field.isEmpty() && !headers.contains(field)) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> lowerCase(List<String> values) {
        Set<String> lower = new LinkedHashSet<>();
        for (String value : values) {
            lower.add(value.toLowerCase(Locale.ROOT));
        }
        return lower;
    }

    @Override
    public String toString() {
        return "Cors[origins=" + origins + ", methods=" + methodsValue + ", headers=" + headersValue
                + ", credentials=" + credentials + "]";
    }

    /**
     * Collects CORS settings; {@link #build()} checks them together.
     *
     * <p><b>Threading:</b> not thread-safe; build on one thread.
     */
    public static final class Builder {
        private final List<String> origins = new ArrayList<>();
        private final List<String> methods = new ArrayList<>(List.of("GET", "HEAD", "POST"));
        private final List<String> headers = new ArrayList<>();
        private final List<String> expose = new ArrayList<>();
        private boolean credentials;
        private Duration maxAge;

        private Builder() {}

        /**
         * The origins allowed, such as {@code https://app.example.com} (scheme, host and port, as the
         * browser sends {@code Origin}; compared ignoring case), or {@code "*"} for any.
         *
         * @param values one or more origins
         * @return this builder
         * @throws IllegalArgumentException if an origin is blank or ends with '/'
         */
        public Builder allowOrigins(String... values) {
            for (String origin : values) {
                Objects.requireNonNull(origin, "origin");
                if (origin.isBlank() || (origin.endsWith("/") && !origin.equals("*"))) {
                    throw new IllegalArgumentException("a CORS origin is scheme://host[:port] without a path or"
                            + " trailing '/', or \"*\": \"" + origin + "\"");
                }
                origins.add(origin.strip());
            }
            return this;
        }

        /**
         * The methods a preflight may ask for (default GET, HEAD, POST); replaces the list.
         *
         * @param values the methods
         * @return this builder
         */
        public Builder allowMethods(HttpMethod... values) {
            methods.clear();
            for (HttpMethod method : values) {
                methods.add(Objects.requireNonNull(method, "method").name());
            }
            return this;
        }

        /**
         * The request header fields a preflight may ask for (default none beyond the CORS-safelisted
         * ones), or {@code "*"} for any.
         *
         * @param values field names
         * @return this builder
         */
        public Builder allowHeaders(String... values) {
            for (String value : values) {
                headers.add(Objects.requireNonNull(value, "header").strip());
            }
            return this;
        }

        /**
         * The response header fields a page may read beyond the safelisted ones ({@code
         * Access-Control-Expose-Headers}).
         *
         * @param values field names
         * @return this builder
         */
        public Builder exposeHeaders(String... values) {
            for (String value : values) {
                expose.add(Objects.requireNonNull(value, "header").strip());
            }
            return this;
        }

        /**
         * Whether the page may send cookies and see the answer ({@code Access-Control-Allow-Credentials:
         * true}); default false.
         *
         * @param value true to allow credentials
         * @return this builder
         */
        public Builder allowCredentials(boolean value) {
            this.credentials = value;
            return this;
        }

        /**
         * How long a browser may cache a preflight's answer ({@code Access-Control-Max-Age}); default
         * unset (the browser's own, 5 seconds in Chromium).
         *
         * @param value whole seconds are sent
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder maxAge(Duration value) {
            Objects.requireNonNull(value, "maxAge");
            if (value.isNegative()) {
                throw new IllegalArgumentException("CORS maxAge must not be negative, got " + value);
            }
            this.maxAge = value;
            return this;
        }

        /**
         * {@return the filter}
         *
         * @throws IllegalStateException if no origin is allowed, or credentials are allowed with origin
         *     {@code "*"}
         */
        public Cors build() {
            if (origins.isEmpty()) {
                throw new IllegalStateException("CORS needs allowOrigins(...): list the origins whose pages may"
                        + " call this server, or \"*\" for any");
            }
            if (credentials && origins.contains("*")) {
                throw new IllegalStateException("CORS allowCredentials(true) cannot go with allowOrigins(\"*\"):"
                        + " browsers refuse a credentialed response whose origin is a wildcard; list the allowed"
                        + " origins instead");
            }
            return new Cors(this);
        }
    }
}
