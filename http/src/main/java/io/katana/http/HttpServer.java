package io.katana.http;

import io.katana.http.internal.HttpConnection;
import io.katana.http.internal.Route;
import io.katana.http.internal.Router;
import io.katana.http.internal.ServerConfig;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.Reactors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * An HTTP/1.1 server (RFC 9110, 9112) on Katana's reactors: routes, strict parsing, keep-alive,
 * pipelining, chunked bodies both ways, {@code Expect: 100-continue}, limits and timeouts. It is
 * written only against the reactor API, so it runs unchanged on every backend.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.builder()
 *         .port(8080)
 *         .get("/hello/{name}", (req, res) -> res.send("Hello, " + req.pathParam("name")))
 *         .post("/orders", HttpHandler.blocking((req, res) -> res.status(201).send(save(req.body()))))
 *         .start();
 * }</pre>
 *
 * <p>Without {@link Builder#group(ReactorGroup)} the server opens a group on the best backend ({@link
 * Reactors#open()}) and shuts it down when it closes; with one, it only listens on it.
 *
 * <p><b>Threading:</b> all methods are safe from any thread. Handlers run as {@link HttpHandler}
 * describes.
 */
public final class HttpServer implements Listener {
    private static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final ServerConfig config;
    private final ReactorGroup suppliedGroup;
    private final InetSocketAddress address;
    private final ListenOptions listenOptions;
    private final Duration drainTimeout;

    private final Object lifecycle = new Object();
    private ReactorGroup group;
    private volatile Listener listener;

    private HttpServer(Builder builder) {
        this.config = new ServerConfig(new Router(builder.routes), builder.limits, builder.timeouts,
                builder.serverName, builder.notFound, !builder.underscoresInHeaderNames, virtualThreadPerTask());
        this.suppliedGroup = builder.group;
        this.address = builder.address;
        this.listenOptions = builder.listenOptions;
        this.drainTimeout = builder.drainTimeout;
    }

    /** {@return a builder with no routes, port 8080 on every interface, default limits and timeouts} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the address and starts accepting connections.
     *
     * @return this server
     * @throws IOException if the address cannot be bound
     * @throws IllegalStateException if the server was started before
     */
    public HttpServer start() throws IOException {
        synchronized (lifecycle) {
            if (group != null) {
                throw new IllegalStateException("the server was already started");
            }
            group = suppliedGroup != null ? suppliedGroup : Reactors.open();
            try {
                listener = group.listen(address, listenOptions, this::newConnectionHandler);
            } catch (IOException | RuntimeException e) {
                if (suppliedGroup == null) {
                    group.close();
                }
                throw e;
            }
            return this;
        }
    }

    /**
     * {@return a new handler that serves this server's routes on one connection} For a listener or
     * connection you manage yourself ({@code group.listen(address, server::newConnectionHandler)});
     * the server need not be started for it.
     */
    public ConnectionHandler newConnectionHandler() {
        return new HttpConnection(config);
    }

    /** {@return the reactor group serving this server; null before {@link #start()}} */
    public ReactorGroup group() {
        synchronized (lifecycle) {
            return group;
        }
    }

    /**
     * {@return the bound address, with the actual port when port 0 was asked for}
     *
     * @throws IllegalStateException if the server is not started
     */
    @Override
    public InetSocketAddress localAddress() {
        Listener bound = listener;
        if (bound == null) {
            throw new IllegalStateException("the server is not started");
        }
        return bound.localAddress();
    }

    /**
     * {@return the bound port} Handy after listening on port 0 in tests.
     *
     * @throws IllegalStateException if the server is not started
     */
    public int port() {
        return localAddress().getPort();
    }

    @Override
    public boolean isOpen() {
        Listener bound = listener;
        return bound != null && bound.isOpen();
    }

    /**
     * Stops accepting connections, then drains: connections idle between requests close at once, a
     * request being read or answered is finished (its response says {@code Connection: close}) and
     * its connection closed after it. Returns once every connection has closed, or after the {@link
     * Builder#drainTimeout(Duration) drain timeout} (30 seconds by default), when those still open
     * are cut. On a {@link Builder#group(ReactorGroup) supplied group} it only stops accepting:
     * connections already open go on, and the group's owner decides when they end.
     */
    @Override
    public void close() {
        ReactorGroup owned;
        synchronized (lifecycle) {
            Listener bound = listener;
            if (bound != null) {
                bound.close();
            }
            owned = group != null && suppliedGroup == null && !group.isShuttingDown() ? group : null;
        }
        if (owned != null) {
            owned.shutdownGracefully(drainTimeout).join();
        }
    }

    private static Executor virtualThreadPerTask() {
        ThreadFactory threads = Thread.ofVirtual().name("katana-http-blocking-", 0).factory();
        return task -> threads.newThread(task).start();
    }

    /**
     * Collects routes and settings for an {@link HttpServer}.
     *
     * <p><b>Threading:</b> not thread-safe; build on one thread.
     */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();
        private ReactorGroup group;
        private InetSocketAddress address = new InetSocketAddress(8080);
        private ListenOptions listenOptions = ListenOptions.DEFAULT;
        private HttpLimits limits = HttpLimits.DEFAULT;
        private HttpTimeouts timeouts = HttpTimeouts.DEFAULT;
        private String serverName = "katana";
        private HttpHandler notFound;
        private boolean underscoresInHeaderNames;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

        private Builder() {}

        /**
         * How long {@link HttpServer#close()} lets running requests and responses finish before it cuts
         * the connections still open (a download in progress included). Default 30 seconds; zero cuts
         * them at once. Applies to the group the server opens itself.
         *
         * @param value the longest drain
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder drainTimeout(Duration value) {
            Objects.requireNonNull(value, "drainTimeout");
            if (value.isNegative()) {
                throw new IllegalArgumentException("drainTimeout must not be negative, got " + value);
            }
            this.drainTimeout = value;
            return this;
        }

        /**
         * Serves on this group instead of opening one; the server never closes it. Lets several servers,
         * or a server and its clients, share reactor threads.
         *
         * @param value a started group
         * @return this builder
         */
        public Builder group(ReactorGroup value) {
            this.group = Objects.requireNonNull(value, "group");
            return this;
        }

        /**
         * Where to listen (port 0 picks a free port). Default: port 8080 on every interface.
         *
         * @param value the local address to bind
         * @return this builder
         */
        public Builder address(InetSocketAddress value) {
            this.address = Objects.requireNonNull(value, "address");
            return this;
        }

        /**
         * Listens on port {@code value} on every interface.
         *
         * @param value the port, 0 for a free one
         * @return this builder
         */
        public Builder port(int value) {
            return address(new InetSocketAddress(value));
        }

        /**
         * Socket options of the listener and accepted connections: backlog, {@code SO_REUSEPORT},
         * connection limit, water marks. Default: {@link ListenOptions#DEFAULT}.
         *
         * @param value the options
         * @return this builder
         */
        public Builder listenOptions(ListenOptions value) {
            this.listenOptions = Objects.requireNonNull(value, "listenOptions");
            return this;
        }

        /**
         * Size limits on requests. Default: {@link HttpLimits#DEFAULT}.
         *
         * @param value the limits
         * @return this builder
         */
        public Builder limits(HttpLimits value) {
            this.limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        /**
         * How long a client may take at each stage. Default: {@link HttpTimeouts#DEFAULT}.
         *
         * @param value the timeouts
         * @return this builder
         */
        public Builder timeouts(HttpTimeouts value) {
            this.timeouts = Objects.requireNonNull(value, "timeouts");
            return this;
        }

        /**
         * The {@code Server} header value (default {@code katana}); null sends none. A response that sets
         * its own {@code Server} header keeps it.
         *
         * @param value printable ASCII, or null
         * @return this builder
         * @throws IllegalArgumentException if the value holds a character outside printable ASCII
         */
        public Builder serverName(String value) {
            if (value != null) {
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if (c < 0x20 || c > 0x7e) {
                        throw new IllegalArgumentException("server name must be printable ASCII: \"" + value + "\"");
                    }
                }
            }
            this.serverName = value;
            return this;
        }

        /**
         * Routes {@code method} requests whose path matches {@code pattern} to {@code handler}.
         * Patterns are paths whose segments are literal text or a whole {@code {name}} parameter
         * ({@link HttpRequest#pathParam(String)}); literal segments win over parameters. A GET route
         * also answers HEAD unless a HEAD route is given.
         *
         * @param method the request method
         * @param pattern the path pattern, such as {@code /users/{id}/orders}
         * @param handler answers the matching requests; shared by every connection
         * @return this builder
         * @throws IllegalArgumentException if the pattern is malformed or the route is a duplicate
         */
        public Builder route(HttpMethod method, String pattern, HttpHandler handler) {
            return route(method, pattern, RouteOptions.DEFAULT, handler);
        }

        /**
         * Routes as {@link #route(HttpMethod, String, HttpHandler)}, with settings that override the
         * server's for this route only, such as its own request timeout.
         *
         * @param method the request method
         * @param pattern the path pattern, such as {@code /users/{id}/orders}
         * @param options what this route overrides; {@link RouteOptions#DEFAULT} for nothing
         * @param handler answers the matching requests; shared by every connection
         * @return this builder
         * @throws IllegalArgumentException if the pattern is malformed or the route is a duplicate
         */
        public Builder route(HttpMethod method, String pattern, RouteOptions options, HttpHandler handler) {
            Route route = Route.of(Objects.requireNonNull(method, "method"), pattern,
                    Objects.requireNonNull(options, "options"), handler);
            new Router(concat(route)); // fail here, naming the route, rather than in build()
            routes.add(route);
            return this;
        }

        /**
         * Routes {@code GET} (and {@code HEAD}, unless a HEAD route is given) requests; see {@link
         * #route}.
         *
         * @param pattern the path pattern
         * @param handler answers the matching requests
         * @return this builder
         */
        public Builder get(String pattern, HttpHandler handler) {
            return route(HttpMethod.GET, pattern, handler);
        }

        /**
         * Routes {@code HEAD} requests, overriding the GET route's automatic answer; see {@link #route}.
         *
         * @param pattern the path pattern
         * @param handler answers the matching requests
         * @return this builder
         */
        public Builder head(String pattern, HttpHandler handler) {
            return route(HttpMethod.HEAD, pattern, handler);
        }

        /**
         * Routes {@code POST} requests; see {@link #route}.
         *
         * @param pattern the path pattern
         * @param handler answers the matching requests
         * @return this builder
         */
        public Builder post(String pattern, HttpHandler handler) {
            return route(HttpMethod.POST, pattern, handler);
        }

        /**
         * Routes {@code PUT} requests; see {@link #route}.
         *
         * @param pattern the path pattern
         * @param handler answers the matching requests
         * @return this builder
         */
        public Builder put(String pattern, HttpHandler handler) {
            return route(HttpMethod.PUT, pattern, handler);
        }

        /**
         * Routes {@code DELETE} requests; see {@link #route}.
         *
         * @param pattern the path pattern
         * @param handler answers the matching requests
         * @return this builder
         */
        public Builder delete(String pattern, HttpHandler handler) {
            return route(HttpMethod.DELETE, pattern, handler);
        }

        /**
         * Routes {@code PATCH} requests; see {@link #route}.
         *
         * @param pattern the path pattern
         * @param handler answers the matching requests
         * @return this builder
         */
        public Builder patch(String pattern, HttpHandler handler) {
            return route(HttpMethod.PATCH, pattern, handler);
        }

        /**
         * Routes {@code OPTIONS} requests, replacing the automatic answer with {@code Allow}; see {@link
         * #route}.
         *
         * @param pattern the path pattern
         * @param handler answers the matching requests
         * @return this builder
         */
        public Builder options(String pattern, HttpHandler handler) {
            return route(HttpMethod.OPTIONS, pattern, handler);
        }

        /**
         * Whether handlers see header fields whose name contains '_' (default false: they are left
         * out, as nginx and Apache httpd do, because CGI-style mappings turn '_' and '-' into the same
         * name and so let a client pass {@code Content_Length} off as {@code Content-Length} to code
         * behind the server).
         *
         * @param allowed true to pass such fields to handlers
         * @return this builder
         */
        public Builder underscoresInHeaderNames(boolean allowed) {
            this.underscoresInHeaderNames = allowed;
            return this;
        }

        /**
         * Answers requests whose path no route has, instead of the default {@code 404 Not Found}.
         * (A path some route has, asked with another method, still gets 405 with {@code Allow}.)
         *
         * @param handler answers the unmatched requests
         * @return this builder
         */
        public Builder notFound(HttpHandler handler) {
            this.notFound = Objects.requireNonNull(handler, "handler");
            return this;
        }

        private List<Route> concat(Route route) {
            List<Route> all = new ArrayList<>(routes);
            all.add(route);
            return all;
        }

        /** {@return the server, not yet listening} */
        public HttpServer build() {
            return new HttpServer(this);
        }

        /**
         * {@link #build()} then {@link HttpServer#start()}.
         *
         * @return the started server
         * @throws IOException if the address cannot be bound
         */
        public HttpServer start() throws IOException {
            return build().start();
        }

        /**
         * {@link #start()} for callers that cannot throw checked exceptions.
         *
         * @return the started server
         * @throws UncheckedIOException if the address cannot be bound
         */
        public HttpServer startUnchecked() {
            try {
                return start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
