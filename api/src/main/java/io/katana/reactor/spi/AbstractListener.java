package io.katana.reactor.spi;

import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The part of a {@link Listener} every backend shares: its address, options and handler factory,
 * the count of its accepted connections still open against {@link ListenOptions#maxConnections()},
 * its {@link AbstractAcceptor}s (one per reactor with {@link ListenOptions#reusePort()}, otherwise
 * one), starting (tracked by the group, so that shutdown closes it first) and closing once.
 *
 * <p>A backend's accept path calls {@link #tryAdmit()} before it makes a connection, {@link
 * #newHandler()} for it, and hands {@link #release()} to the connection to run when it closes (or
 * runs it itself when the connection is never made). These methods are public for backends in
 * other packages; an application has no use for them.
 *
 * <p><b>Threading:</b> every method is safe from any thread.
 *
 * @param <G> the backend's reactor group
 */
public abstract class AbstractListener<G extends AbstractReactorGroup> implements Listener {
    private static final long START_TIMEOUT_SECONDS = 10;
    private static final long CLOSE_TIMEOUT_SECONDS = 5;

    private final G group;
    private final InetSocketAddress address;
    private final ListenOptions options;
    private final Supplier<? extends ConnectionHandler> handlers;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile List<AbstractAcceptor<?>> acceptors = List.of();

    /**
     * Creates a listener that its group does not track yet: {@link #awaitAccepting(List)} has it tracked.
     *
     * @param group the group whose reactors accept for it
     * @param address the address bound, with the actual port
     * @param options the options it was opened with
     * @param handlers makes the handler of each accepted connection
     */
    protected AbstractListener(G group, InetSocketAddress address, ListenOptions options,
            Supplier<? extends ConnectionHandler> handlers) {
        this.group = Objects.requireNonNull(group, "group");
        this.address = Objects.requireNonNull(address, "address");
        this.options = Objects.requireNonNull(options, "options");
        this.handlers = Objects.requireNonNull(handlers, "handlers");
    }

    /**
     * Has the group track this listener, so that its shutdown closes it, then waits until every
     * socket accepts. {@code listen} calls it once, after it has started the sockets that {@link
     * #closeSockets()} closes. On any failure the listener is closed before this throws.
     *
     * @param accepting one future per listening socket, completed when it accepts
     * @throws IOException if a socket failed to start, or its reactor did not register it within 10 s
     * @throws IllegalStateException if the group began shutting down meanwhile, or the listener was closed
     */
    protected final void awaitAccepting(List<CompletableFuture<Void>> accepting) throws IOException {
        group.track(this);
        try {
            // A shutdown that copied its listeners before track() cannot close this one: refuse here.
            group.ensureRunning();
            if (!isOpen()) {
                throw new IllegalStateException(this + " was closed before it started");
            }
        } catch (IllegalStateException e) {
            close();
            group.untrack(this); // a close that ran before track() had nothing to untrack
            throw e;
        }
        try {
            CompletableFuture.allOf(accepting.toArray(CompletableFuture[]::new))
                    .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("interrupted while starting to listen on " + address, e);
        } catch (ExecutionException e) {
            close();
            throw new IOException("cannot start accepting on " + address + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            close();
            throw new IOException("cannot start accepting on " + address + ": a reactor did not register its socket within "
                    + START_TIMEOUT_SECONDS + " s", e);
        }
    }

    /**
     * Starts every acceptor and waits until all of them accept, as {@link #awaitAccepting(List)}.
     *
     * @param created the acceptors of this listener's sockets
     * @throws IOException if a socket failed to start
     */
    final void start(List<AbstractAcceptor<?>> created) throws IOException {
        acceptors = List.copyOf(created);
        awaitAccepting(created.stream().map(AbstractAcceptor::start).toList());
    }

    /**
     * Closes the listening sockets, each on its reactor; by default through their acceptors.
     *
     * @return completes when every socket is closed (or its reactor has ended)
     */
    protected CompletableFuture<?> closeSockets() {
        return CompletableFuture.allOf(acceptors.stream().map(AbstractAcceptor::close).toArray(CompletableFuture[]::new));
    }

    /** {@return the group whose reactors accept for this listener} */
    public final G group() {
        return group;
    }

    /** {@return the options this listener was opened with} */
    public final ListenOptions options() {
        return options;
    }

    /** {@return a new handler for a connection just accepted, from the factory given to listen} */
    public final ConnectionHandler newHandler() {
        return handlers.get();
    }

    /**
     * Claims a connection slot for a connection about to be made.
     *
     * @return false when {@link ListenOptions#maxConnections()} connections are open: refuse this one
     */
    public final boolean tryAdmit() {
        int limit = options.maxConnections();
        if (limit == 0) {
            openConnections.incrementAndGet();
            return true;
        }
        while (true) {
            int current = openConnections.get();
            if (current >= limit) {
                return false;
            }
            if (openConnections.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Gives back the slot of a connection that closed, or that was admitted and never made. */
    public final void release() {
        // Never below zero: a stray release must not lift the limit for every later connection.
        openConnections.getAndUpdate(count -> count > 0 ? count - 1 : 0);
    }

    @Override
    public final InetSocketAddress localAddress() {
        return address;
    }

    @Override
    public final boolean isOpen() {
        return open.get();
    }

    /**
     * Stops accepting and drops out of the group's shutdown list; waits, up to 5 s, until the sockets
     * are closed, also when another thread's call is the one closing them (but not on one of the
     * group's reactors, which may be the one that has to close them).
     */
    @Override
    public final void close() {
        if (!open.compareAndSet(true, false)) {
            if (!group.inAnyEventLoop()) {
                awaitQuietly(closed);
            }
            return;
        }
        try {
            awaitQuietly(closeSockets());
        } finally {
            group.untrack(this);
            closed.complete(null);
        }
    }

    private static void awaitQuietly(CompletableFuture<?> future) {
        try {
            future.get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            // A reactor that already ended closed its sockets on the way out.
        }
    }

    @Override
    public String toString() {
        return group.backend() + " listener on " + address;
    }
}
