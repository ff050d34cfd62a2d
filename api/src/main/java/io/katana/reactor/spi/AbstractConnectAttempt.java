package io.katana.reactor.spi;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ScheduledTask;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One outgoing connect, as every backend makes it: a non-blocking connect, a wait for output
 * readiness bounded by {@link ConnectOptions#timeout()}, the socket's pending error ({@code SO_ERROR})
 * to learn the outcome, then a connection on the same reactor. Every failure completes the future
 * exceptionally with a {@link ConnectException} (a {@link SocketTimeoutException} for the timeout)
 * naming the address, and closes the socket. A connect still pending when its reactor ends fails
 * the same way, and leaks no descriptor.
 *
 * <p>A backend supplies {@link #connect()}, {@link #register()}, {@link #finishConnect(int)}, {@link
 * #newConnection(long)} and {@link #closeSocket()}, and calls {@link #connectReady(int)} when its
 * poller reports the socket. {@link AbstractReactorGroup#connect} makes and starts it.
 *
 * <p><b>Threading:</b> loop only.
 */
public abstract class AbstractConnectAttempt {
    private final EventLoop loop;
    private final SocketAddress address;
    private final ConnectOptions options;
    private final ConnectionHandler handler;
    private final CompletableFuture<Connection> result;
    private final EventLoop.Terminable atTermination = this::closeAtTermination;
    private ScheduledTask timeout;
    private boolean tracked;
    private boolean done;

    /**
     * Creates an attempt; {@link AbstractReactorGroup#connect} starts it on {@code loop}.
     *
     * @param loop the reactor the connection will belong to
     * @param address where to connect
     * @param options the connect's options
     * @param handler the handler of the connection once made
     * @param result completed with the connection, or exceptionally
     */
    protected AbstractConnectAttempt(EventLoop loop, SocketAddress address, ConnectOptions options,
            ConnectionHandler handler, CompletableFuture<Connection> result) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.address = Objects.requireNonNull(address, "address");
        this.options = Objects.requireNonNull(options, "options");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.result = Objects.requireNonNull(result, "result");
    }

    /** {@return the reactor the connection will belong to} */
    protected final EventLoop loop() {
        return loop;
    }

    /** {@return where this attempt connects to} */
    protected final SocketAddress address() {
        return address;
    }

    /** {@return the options of this connect} */
    protected final ConnectOptions options() {
        return options;
    }

    /** {@return the handler of the connection once made} */
    protected final ConnectionHandler handler() {
        return handler;
    }

    /** Loop only: begins connecting; called once by the group. */
    final void start() {
        assert loop.inEventLoop() : "a connect started off the loop of " + loop;
        if (loop.isShuttingDown()) {
            fail(new ConnectException("connect to " + address + " failed: the reactor group is shutting down"));
            return;
        }
        try {
            if (connect()) {
                established();
                return;
            }
            register();
        } catch (IOException | RuntimeException e) {
            fail(asConnectFailure(e));
            return;
        }
        loop.track(atTermination);
        tracked = true;
        timeout = loop.schedule(options.timeout().toNanos(), TimeUnit.NANOSECONDS, this::timedOut);
    }

    /**
     * Loop only: the poller reported the socket (output readiness, an error or a hang-up).
     *
     * @param readyOps what the poller reported, in the backend's own bits, passed to {@link #finishConnect(int)}
     */
    protected final void connectReady(int readyOps) {
        assert loop.inEventLoop() : "connectReady() off the loop of " + loop;
        if (done) {
            return;
        }
        try {
            if (!finishConnect(readyOps)) {
                return;
            }
        } catch (IOException | RuntimeException e) {
            fail(asConnectFailure(e));
            return;
        }
        established();
    }

    private void established() {
        done = true;
        stopWaiting();
        Connection connection;
        try {
            connection = newConnection(((AbstractReactorGroup) loop.group()).nextConnectionId());
        } catch (RuntimeException e) {
            closeSocket();
            result.completeExceptionally(asConnectFailure(e));
            return;
        }
        result.complete(connection);
    }

    private void timedOut() {
        if (!done) {
            fail(new SocketTimeoutException("connect to " + address + " timed out after "
                    + options.timeout().toMillis() + " ms"));
        }
    }

    private void closeAtTermination() {
        if (!done) {
            fail(new ConnectException("connect to " + address + " failed: the reactor ended"));
        }
    }

    private void fail(Throwable cause) {
        done = true;
        stopWaiting();
        try {
            closeSocket();
        } finally {
            result.completeExceptionally(cause);
        }
    }

    private void stopWaiting() {
        if (timeout != null) {
            timeout.cancel();
        }
        if (tracked) {
            tracked = false;
            loop.untrack(atTermination);
        }
    }

    private Throwable asConnectFailure(Throwable e) {
        if (e instanceof ConnectException || e instanceof SocketTimeoutException) {
            return e;
        }
        ConnectException failure = new ConnectException("connect to " + address + " failed: " + e.getMessage());
        failure.initCause(e);
        return failure;
    }

    /**
     * Loop only: opens a non-blocking socket with {@link #options()} and begins connecting to {@link
     * #address()}.
     *
     * @return true if connected at once (the connection is then made without a wait)
     * @throws IOException if opening or connecting failed; the future fails with it
     */
    protected abstract boolean connect() throws IOException;

    /**
     * Loop only: registers the socket with the poller for output readiness.
     *
     * @throws IOException if the poller refused it; the future fails with it
     */
    protected abstract void register() throws IOException;

    /**
     * Loop only: the socket was reported; reads its outcome ({@code SO_ERROR}, {@code finishConnect}).
     *
     * @param readyOps what the poller reported
     * @return true when connected, false when not yet (keep waiting)
     * @throws IOException if the connect failed; the future fails with it
     */
    protected abstract boolean finishConnect(int readyOps) throws IOException;

    /**
     * Loop only: makes the connection of the connected socket, taking over its registration, with
     * {@link #handler()}, and opens it.
     *
     * @param id the connection's id in its group
     * @return the connection, to complete the future with
     */
    protected abstract Connection newConnection(long id);

    /** Loop only: closes the socket (and its registration) of a failed attempt; must not throw. */
    protected abstract void closeSocket();

    @Override
    public String toString() {
        return "connect attempt to " + address + " (" + loop + ")";
    }
}
