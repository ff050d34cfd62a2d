package io.katana.http;

import io.katana.http.internal.BlockedReactorWatch;
import io.katana.http.internal.Composition;
import io.katana.http.internal.ErrorResponder;
import io.katana.http.internal.HttpConnection;
import io.katana.http.internal.RouteTable;
import io.katana.http.internal.Router;
import io.katana.http.internal.Scope;
import io.katana.http.internal.ServerConfig;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.Reactors;
import io.katana.tls.TlsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

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
 * <p><b>Composition.</b> Filters wrap routes ({@link Builder#filter}, {@link Builder#before}, {@link
 * Builder#after}), {@link Builder#group(String, Consumer) groups} put routes under a prefix with
 * filters of their own, and error handlers ({@link Builder#error}, {@link Builder#exception}) shape
 * the server's own answers: 404, 405 (its {@code Allow} kept), 500 and 501, a body over its route's
 * limit (413, after which the connection closes), and exceptions by type. Requests refused before
 * routing — a malformed head or chunked body (400), a request line or header section over its limit
 * (414, 431), a timeout (408), an unsupported version (505) or {@code Expect} (417) — have no route:
 * they keep the strict parser's fixed plain answers and close the connection, and never reach filters
 * or error handlers, nor the access log. So does the 503 of the request timeout, for now.
 *
 * <p>Without {@link Builder#group(ReactorGroup)} the server opens a group on the best backend ({@link
 * Reactors#open()}) and shuts it down when it closes; with one, it only listens on it.
 *
 * <p><b>Threading:</b> all methods are safe from any thread. Handlers run as {@link HttpHandler}
 * describes.
 */
public final class HttpServer implements Listener {
    private static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DEFAULT_BLOCKED_REACTOR_THRESHOLD = Duration.ofSeconds(2);

    private final ServerConfig config;
    private final ReactorGroup suppliedGroup;
    private final InetSocketAddress address;
    private final ListenOptions listenOptions;
    private final TlsServer tls;
    private final Duration drainTimeout;
    private final BlockedReactorWatch blockedReactorWatch;

    private final Object lifecycle = new Object();
    private ReactorGroup group;
    private volatile Listener listener;

    private HttpServer(Builder builder) {
        Composition composition = new Composition(builder.routes, builder.root,
                new ErrorResponder(builder.errorHandlers, builder.exceptionHandlers), builder.gzip, builder.accessLog);
        this.blockedReactorWatch = builder.blockedReactorThreshold.isZero()
                ? null : new BlockedReactorWatch(builder.blockedReactorThreshold);
        this.config = new ServerConfig(new Router(composition.routes()), builder.limits, builder.timeouts,
                builder.serverName, composition, !builder.underscoresInHeaderNames, virtualThreadPerTask(),
                blockedReactorWatch);
        this.suppliedGroup = builder.group;
        this.address = builder.address;
        this.listenOptions = builder.listenOptions;
        this.tls = builder.tls;
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
                listener = group.listen(address, listenOptions,
                        tls == null ? this::newConnectionHandler : tls.wrap(this::newConnectionHandler));
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
        if (blockedReactorWatch != null) {
            blockedReactorWatch.close();
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
    public static final class Builder implements Routes<Builder> {
        private final RouteTable routes = new RouteTable();
        private final Scope root = Scope.root(routes);
        private final Map<Integer, HttpHandler> errorHandlers = new LinkedHashMap<>();
        private final Map<Class<? extends Throwable>, ExceptionHandler<? super Throwable>> exceptionHandlers =
                new LinkedHashMap<>();
        private Gzip gzip;
        private AccessLogFormat accessLog;
        private ReactorGroup group;
        private InetSocketAddress address = new InetSocketAddress(8080);
        private ListenOptions listenOptions = ListenOptions.DEFAULT;
        private TlsServer tls;
        private HttpLimits limits = HttpLimits.DEFAULT;
        private HttpTimeouts timeouts = HttpTimeouts.DEFAULT;
        private String serverName = "katana";
        private boolean underscoresInHeaderNames;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private Duration blockedReactorThreshold = DEFAULT_BLOCKED_REACTOR_THRESHOLD;

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
         * How long a handler that is not {@linkplain HttpHandler#blocking blocking} may hold its
         * reactor thread before it is reported: every other connection of that reactor waits
         * meanwhile. Each occurrence is logged once at WARN with the request's method and route and the
         * reactor thread's stack, by one daemon thread per server that samples the reactors (their own
         * cost is two memory stores per handler call). Default 2 seconds; zero turns the warning off.
         *
         * @param value the threshold, or zero for none
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder blockedReactorThreshold(Duration value) {
            Objects.requireNonNull(value, "blockedReactorThreshold");
            if (value.isNegative()) {
                throw new IllegalArgumentException("blockedReactorThreshold must be zero (off) or positive, got " + value);
            }
            this.blockedReactorThreshold = value;
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
         * Serves HTTPS: every connection completes a TLS handshake ({@link TlsServer}: certificate,
         * SNI names, ALPN, engine) before its first request. The caller owns {@code value} and closes
         * it after the server. Default: plain HTTP.
         *
         * @param value the TLS server, for example {@code TlsServer.open(TlsServerConfig.builder(chain, key).build())}
         * @return this builder
         */
        public Builder tls(TlsServer value) {
            this.tls = Objects.requireNonNull(value, "tls");
            return this;
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

        @Override
        public Builder route(HttpMethod method, String pattern, RouteOptions options, HttpHandler handler) {
            root.route(method, pattern, options, handler);
            return this;
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
         * Answers requests whose path no route has, instead of the default {@code 404 Not Found}: the
         * same as {@code error(404, handler)}. (A path some route has, asked with another method, still
         * gets 405 with {@code Allow}.)
         *
         * @param handler answers the unmatched requests
         * @return this builder
         */
        public Builder notFound(HttpHandler handler) {
            return error(404, handler);
        }

        @Override
        public Builder filter(HttpFilter filter) {
            root.filter(filter);
            return this;
        }

        @Override
        public Builder before(HttpHandler before) {
            root.before(before);
            return this;
        }

        @Override
        public Builder after(HttpHandler after) {
            root.after(after);
            return this;
        }

        @Override
        public Builder group(String prefix, Consumer<RouteGroup> routes) {
            Objects.requireNonNull(routes, "routes").accept(new RouteGroup(root.child(prefix)));
            return this;
        }

        /**
         * Shapes the server's own answers with {@code status}: 404 (no route has the path), 405 (a route
         * has it, with another method; {@code Allow} is already set), 500 (a handler failed and no
         * {@link #exception} handler took it) and 501 (a method no route knows). The handler runs
         * inside the path's filters with the status already set and the filters' header fields kept;
         * it must send. If it throws, the plain answer goes out instead. It runs on the thread that met
         * the error (for a 500, where the handler failed), so like a handler it must not block there;
         * a 404, 405, 413 or 501 handler made {@link HttpHandler#blocking} runs on a virtual thread.
         *
         * <p>A 413 handler shapes the answer to a body over its route's limit ({@link
         * RouteOptions#withMaxBodyBytes}, else the server's): a {@code Content-Length} over it, refused
         * before any of the body is read, or a chunked body that overruns it. It runs inside the route's
         * filters (the server's for a path no route has), with an empty request body; the response says
         * {@code Connection: close}, since the rest of the body is never read, and if the handler throws
         * or returns without sending, the plain 413 goes out instead. Answers given before routing (400,
         * 408, 414, 431, 505) have no route and are not shaped; neither is the 503 of the request
         * timeout: see {@link HttpServer}.
         *
         * @param status 400 to 599
         * @param handler answers with that status
         * @return this builder
         * @throws IllegalArgumentException if the status is not an error status
         */
        public Builder error(int status, HttpHandler handler) {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("error handlers are for statuses 400 to 599, got " + status);
            }
            errorHandlers.put(status, Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /**
         * Answers requests whose handler or filter threw a {@code type} (or a subclass) before sending:
         * the most specific registered type wins. The handler gets status 500 and the header fields the
         * filters set, and must send; see {@link ExceptionHandler}. Exceptions no handler takes are
         * logged and answered by the 500 {@link #error} handler, or in plain text.
         *
         * @param type the exception type
         * @param handler answers the failed requests
         * @param <T> the exception type
         * @return this builder
         */
        @SuppressWarnings("unchecked")
        public <T extends Throwable> Builder exception(Class<T> type, ExceptionHandler<? super T> handler) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(handler, "handler");
            exceptionHandlers.put(type, (ExceptionHandler<? super Throwable>) handler);
            return this;
        }

        /**
         * Turns the access log on: one line per response, in {@code format}, to the SLF4J logger {@code
         * io.katana.http.access} at INFO, written when the response is sent (a streamed one: when its
         * stream closes, with the bytes actually sent). Off by default, and then it costs nothing.
         * Requests refused before routing are not logged (see {@link HttpServer}).
         *
         * @param format {@link AccessLogFormat#COMMON} or {@link AccessLogFormat#COMBINED}
         * @return this builder
         */
        public Builder accessLog(AccessLogFormat format) {
            this.accessLog = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * Compresses qualifying responses with gzip; see {@link Gzip} for which. Off by default.
         *
         * @param settings {@link Gzip#defaults()} or your own
         * @return this builder
         */
        public Builder gzip(Gzip settings) {
            this.gzip = Objects.requireNonNull(settings, "settings");
            return this;
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
