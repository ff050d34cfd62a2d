package io.katana.reactor.spi;

import io.katana.reactor.ConnectionHandler;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket on one reactor, as every backend accepts: in a batch until the kernel has no
 * more; each connection admitted against {@link io.katana.reactor.ListenOptions#maxConnections()}
 * (refused by closing it past the limit) and handed to a reactor, its own with {@link
 * io.katana.reactor.ListenOptions#reusePort()}, otherwise the group's next; a connection whose
 * reactor or group is shutting down by the time it arrives there is closed, not adopted.
 *
 * <p>When accepting fails for want of resources ({@code EMFILE}, {@code ENFILE}, kernel memory) it
 * must not spin: the pending connection stays in the kernel's queue and would report readiness at
 * once again. So the acceptor takes its interest away ({@link #setAccepting(boolean)}) and gives it
 * back after {@value #ACCEPT_PAUSE_MILLIS} ms; failures are logged at most once per 10 s, with how
 * many happened since the last report.
 *
 * <p>A backend supplies the system calls: {@link #register()}, {@link #acceptOne()}, {@link
 * #setAccepting(boolean)}, {@link #adopt}, {@link #closeAccepted} and {@link #closeListeningSocket()},
 * and calls {@link #acceptReady()} when its poller reports the socket readable. The acceptor is
 * closed with its listener, or by its reactor if that ends first.
 *
 * <p><b>Threading:</b> loop only (its reactor's), except {@link #start()}, {@link #close()} and
 * {@link #closeAccepted}, which may run anywhere.
 *
 * @param <S> the backend's accepted socket: a channel, or a descriptor with its peer address
 */
public abstract class AbstractAcceptor<S> {
    private static final Logger LOG = LoggerFactory.getLogger(AbstractAcceptor.class);

    /** How long accepting pauses after a failure that is not about one connection only. */
    public static final long ACCEPT_PAUSE_MILLIS = 100;

    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final AbstractListener<?> listener;
    private final EventLoop loop;
    // Made now: out of descriptors, the JVM could not load the class of a lambda made on first use.
    private final Runnable resume = this::resumeAccepting;
    private final EventLoop.Terminable atTermination = this::closeNow;
    private boolean registered;
    private boolean closed;
    private boolean paused;
    private long lastFailureLog = System.nanoTime() - LOG_INTERVAL_NANOS;
    private long failuresSinceLog;

    /**
     * Creates an acceptor for one listening socket of {@code listener}, to run on {@code loop}.
     *
     * @param listener the listener the socket belongs to
     * @param loop the reactor that polls the socket
     */
    protected AbstractAcceptor(AbstractListener<?> listener, EventLoop loop) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /** {@return the listener this acceptor accepts for} */
    protected final AbstractListener<?> listener() {
        return listener;
    }

    /** {@return the reactor that polls this acceptor's socket} */
    protected final EventLoop loop() {
        return loop;
    }

    /**
     * Registers the socket on its reactor; the socket is closed if that fails or the reactor is
     * shutting down or has ended. Any thread.
     *
     * @return completes when accepting has begun, or exceptionally when it cannot
     */
    public final CompletableFuture<Void> start() {
        CompletableFuture<Void> started = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                if (loop.isShuttingDown()) {
                    closeNow();
                    started.completeExceptionally(new IllegalStateException(loop + " is shutting down"));
                    return;
                }
                try {
                    register();
                } catch (IOException | RuntimeException e) {
                    closeNow();
                    started.completeExceptionally(e);
                    return;
                }
                registered = true;
                loop.track(atTermination);
                started.complete(null);
            });
        } catch (RejectedExecutionException e) {
            closeNow(); // the reactor has ended: nothing else can touch this socket
            started.completeExceptionally(e);
        }
        return started;
    }

    /**
     * Loop only: the socket is readable; accepts until the kernel has no more, the acceptor closes,
     * or accepting fails and pauses.
     */
    protected final void acceptReady() {
        assert loop.inEventLoop() : "acceptReady() off the loop of " + loop;
        while (!closed && !paused) {
            S accepted;
            try {
                accepted = acceptOne();
            } catch (IOException e) {
                pauseAccepting(e.getMessage());
                return;
            }
            if (accepted == null) {
                return;
            }
            hand(accepted);
        }
    }

    private void hand(S socket) {
        if (!listener.tryAdmit()) {
            closeAccepted(socket); // past the connection limit: refuse cleanly, keep serving the others
            return;
        }
        EventLoop target = listener.options().reusePort() ? loop : listener.group().next();
        if (target == loop) {
            adoptOn(target, socket);
            return;
        }
        try {
            target.execute(() -> adoptOn(target, socket));
        } catch (RejectedExecutionException e) {
            closeAccepted(socket);
            listener.release();
        }
    }

    private void adoptOn(EventLoop target, S socket) {
        assert target.inEventLoop() : "adopt off the loop of " + target;
        if (target.isShuttingDown() || listener.group().isShuttingDown()) {
            closeAccepted(socket); // accepted as the group shut down: not adopted
            listener.release();
            return;
        }
        ConnectionHandler handler;
        try {
            handler = listener.newHandler();
        } catch (RuntimeException e) {
            closeAccepted(socket);
            listener.release();
            LOG.warn("the handler factory of {} threw; the accepted connection was closed", listener, e);
            return;
        }
        try {
            adopt(target, socket, handler);
        } catch (IOException | RuntimeException e) {
            LOG.debug("making a connection of an accepted socket failed; dropping it", e);
            closeAccepted(socket);
            listener.release();
        }
    }

    private void pauseAccepting(String failure) {
        failuresSinceLog++;
        long now = System.nanoTime();
        if (now - lastFailureLog >= LOG_INTERVAL_NANOS) {
            LOG.warn("accepting on {} failed ({}; {} time(s) since the last report); pausing accepts for {} ms",
                    listener.localAddress(), failure, failuresSinceLog, ACCEPT_PAUSE_MILLIS);
            lastFailureLog = now;
            failuresSinceLog = 0;
        }
        paused = true;
        try {
            setAccepting(false);
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: taking the accept interest away failed", this, e);
        }
        loop.schedule(ACCEPT_PAUSE_MILLIS, TimeUnit.MILLISECONDS, resume);
    }

    private void resumeAccepting() {
        if (closed || !paused) {
            return;
        }
        paused = false;
        try {
            setAccepting(true);
        } catch (IOException | RuntimeException e) {
            pauseAccepting(e.getMessage());
        }
    }

    /**
     * Stops accepting and closes the socket on its reactor. Any thread.
     *
     * @return completes when the socket is closed (or its reactor has ended, closing it on the way out)
     */
    public final CompletableFuture<Void> close() {
        if (loop.inEventLoop()) {
            closeNow();
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                closeNow();
                done.complete(null);
            });
        } catch (RejectedExecutionException e) {
            closeNow(); // the reactor has ended: nothing else can touch this socket
            done.complete(null);
        }
        return done;
    }

    /** On the loop, or once nothing else can touch the socket (the reactor never took it, or ended). */
    private void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        if (registered && loop.inEventLoop()) {
            loop.untrack(atTermination);
        }
        try {
            closeListeningSocket();
        } catch (RuntimeException e) {
            LOG.debug("closing {} failed", this, e);
        }
    }

    /** {@return whether this acceptor has closed} Loop only. */
    protected final boolean isClosed() {
        return closed;
    }

    /** {@return whether this acceptor registered with its reactor} Loop only. */
    protected final boolean isRegistered() {
        return registered;
    }

    /**
     * Loop only: registers the listening socket with the reactor's poller for readability.
     *
     * @throws IOException if the poller refused it; the socket is then closed
     */
    protected abstract void register() throws IOException;

    /**
     * Loop only: accepts one connection, non-blocking. A failure that concerns that connection only
     * (the peer gave up before it was accepted, say) should be skipped here, taking the next one.
     *
     * @return the accepted socket, or null when none is pending
     * @throws IOException if accepting failed otherwise (out of descriptors, say): accepting pauses
     */
    protected abstract S acceptOne() throws IOException;

    /**
     * Loop only: takes the socket's readiness interest away, or gives it back, for the pause after a
     * failure. Giving it back must make a still non-empty accept queue report again.
     *
     * @param accepting whether the socket should report readiness
     * @throws IOException if the poller refused; on resume, accepting pauses again
     */
    protected abstract void setAccepting(boolean accepting) throws IOException;

    /**
     * On {@code target}'s loop: makes {@code socket} a connection of {@code target} with {@code
     * handler}, whose close must run {@link AbstractListener#release()} of {@link #listener()}.
     *
     * @param target the reactor the connection belongs to
     * @param socket the accepted socket
     * @param handler the connection's handler, just made by the listener's factory
     * @throws IOException if the socket could not be set up; it is then closed and its slot released
     */
    protected abstract void adopt(EventLoop target, S socket, ConnectionHandler handler) throws IOException;

    /**
     * Closes an accepted socket that will not become a connection; any thread, must not throw.
     *
     * @param socket the accepted socket
     */
    protected abstract void closeAccepted(S socket);

    /**
     * Closes the listening socket, deregistering it from the poller if it is registered: on the loop,
     * or on another thread once the reactor never took or no longer holds the socket. Called once.
     */
    protected abstract void closeListeningSocket();

    @Override
    public String toString() {
        return "acceptor on " + listener.localAddress() + " (" + loop + ")";
    }
}
