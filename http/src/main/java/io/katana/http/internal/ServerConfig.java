package io.katana.http.internal;

import io.katana.http.HttpHandler;
import io.katana.http.HttpLimits;
import io.katana.http.HttpTimeouts;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What every connection of one server shares: routes, limits, timeouts, the {@code Server} header
 * line, and where blocking handlers run.
 *
 * <p><b>Threading:</b> immutable; safe to share between threads.
 */
public final class ServerConfig {

    private final Router router;
    private final HttpLimits limits;
    private final long headerReadNanos;
    private final long keepAliveNanos;
    private final long lingerNanos;
    private final long minBodyRate;
    private final long requestTimeoutNanos;
    private final BlockedReactorWatch blockedReactorWatch;
    private final byte[] serverLine;
    private final Composition composition;
    private final boolean dropUnderscoreHeaders;
    private final Executor blockingExecutor;
    private final long largestBodyLimit;

    /**
     * @param serverName the {@code Server} header value, or null to send none
     * @param composition answers requests no route takes, with the filters of their path
     * @param dropUnderscoreHeaders whether header fields with '_' in their name are left out of requests
     * @param blockingExecutor runs blocking handlers; one virtual thread per task is the intent
     */
    public ServerConfig(Router router, HttpLimits limits, HttpTimeouts timeouts, String serverName,
                        Composition composition, boolean dropUnderscoreHeaders, Executor blockingExecutor) {
        this(router, limits, timeouts, serverName, composition, dropUnderscoreHeaders, blockingExecutor, null);
    }

    /** @param blockedReactorWatch reports handlers that hold a reactor thread too long, or null for none */
    public ServerConfig(Router router, HttpLimits limits, HttpTimeouts timeouts, String serverName,
                        Composition composition, boolean dropUnderscoreHeaders, Executor blockingExecutor,
                        BlockedReactorWatch blockedReactorWatch) {
        this.blockedReactorWatch = blockedReactorWatch;
        this.router = Objects.requireNonNull(router, "router");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.headerReadNanos = timeouts.headerRead().toNanos();
        this.keepAliveNanos = timeouts.keepAliveIdle().toNanos();
        this.lingerNanos = timeouts.lingerOnClose().toNanos();
        this.minBodyRate = timeouts.minBodyRate();
        this.requestTimeoutNanos = timeouts.request().toNanos();
        this.serverLine = serverName == null ? null : ("Server: " + serverName + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        this.composition = Objects.requireNonNull(composition, "composition");
        this.dropUnderscoreHeaders = dropUnderscoreHeaders;
        this.blockingExecutor = Objects.requireNonNull(blockingExecutor, "blockingExecutor");
        this.largestBodyLimit = Math.max(limits.maxBodySize(), router.routes().stream().mapToLong(this::bodyLimit).max().orElse(0));
    }

    /** {@return the body limit of requests to {@code route} (null: no route): its own, or the server's} */
    public long bodyLimit(Route route) {
        return route == null ? limits.maxBodySize() : route.options().maxBodyBytes().orElse(limits.maxBodySize());
    }

    /** {@return the largest body limit of any route, or the server's if larger}: what a head may announce at most. */
    public long largestBodyLimit() {
        return largestBodyLimit;
    }

    public Router router() {
        return router;
    }

    public HttpLimits limits() {
        return limits;
    }

    public long headerReadNanos() {
        return headerReadNanos;
    }

    public long keepAliveNanos() {
        return keepAliveNanos;
    }

    public long lingerNanos() {
        return lingerNanos;
    }

    /** Bytes per second a request body must average once the head timeout has passed; 0: no minimum. */
    public long minBodyRate() {
        return minBodyRate;
    }

    /** Reports handlers that hold a reactor thread too long; null when the server's warning is off. */
    public BlockedReactorWatch blockedReactorWatch() {
        return blockedReactorWatch;
    }

    /** How long a handler may take to answer, unless its route says otherwise; 0: no limit. */
    public long requestTimeoutNanos() {
        return requestTimeoutNanos;
    }

    /** {@code Server: name\r\n}, or null. */
    public byte[] serverLine() {
        return serverLine;
    }

    /**
     * The shaped answer for an error the connection decides about a request it has routed (413, 503),
     * or null when the plain answer stands; see {@link Composition#errorAnswer}.
     */
    public HttpHandler errorAnswer(int status, RouteMatch match) {
        return composition.errorAnswer(status, match.outcome() == RouteMatch.FOUND ? match.route() : null);
    }

    /** The handler for a request that {@code match} found no route for: 404, 405, OPTIONS, 501. */
    public HttpHandler unmatched(RouteMatch match) {
        return composition.unmatched(match);
    }

    public boolean dropUnderscoreHeaders() {
        return dropUnderscoreHeaders;
    }

    public Executor blockingExecutor() {
        return blockingExecutor;
    }
}
