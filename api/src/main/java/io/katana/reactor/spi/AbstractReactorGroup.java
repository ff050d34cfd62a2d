package io.katana.reactor.spi;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a {@link ReactorGroup} every backend shares: the reactors and their threads,
 * round-robin choice, connection ids that are never reused, the listeners to close first on
 * shutdown, and the graceful shutdown itself; {@code listen} (the fan-out of one socket per reactor
 * with {@code SO_REUSEPORT}, the port of the first for the others, cleanup when one fails) and
 * {@code connect} (round-robin, refusal during shutdown). A backend's constructor calls {@link
 * #startReactors(IntFunction)}; it supplies {@link #listeningSockets()} and {@link
 * #newConnectAttempt}.
 *
 * <p><b>Threading:</b> every method is safe from any thread; {@link #close()} must not be called
 * from one of this group's reactor threads.
 */
public abstract class AbstractReactorGroup implements ReactorGroup {
    private static final Logger LOG = LoggerFactory.getLogger(AbstractReactorGroup.class);

    private final String backend;
    private final ReactorConfig config;
    private final AtomicInteger nextIndex = new AtomicInteger();
    private final AtomicLong connectionIds = new AtomicLong();
    private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile List<EventLoop> loops = List.of();
    private volatile boolean shuttingDown;

    /**
     * Creates the group's shared state; the backend's constructor then calls {@link
     * #startReactors(IntFunction)}.
     *
     * @param backend the backend's name, as {@link ReactorProvider#name()}
     * @param config the group's configuration
     */
    protected AbstractReactorGroup(String backend, ReactorConfig config) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Creates {@code config.threads()} reactors with {@code factory} and starts their threads.
     *
     * @param factory makes the reactor of each index, from 0; it must not start it
     */
    protected final void startReactors(IntFunction<? extends EventLoop> factory) {
        EventLoop[] created = new EventLoop[config.threads()];
        for (int i = 0; i < created.length; i++) {
            created[i] = factory.apply(i);
        }
        loops = List.of(created);
        for (EventLoop loop : created) {
            loop.start();
        }
        CompletableFuture.allOf(loops.stream().map(EventLoop::terminationFuture).toArray(CompletableFuture[]::new))
                .whenComplete((ignored, error) -> terminated.complete(null));
        LOG.debug("{} group started with {} reactors", backend, created.length);
    }

    @Override
    public final Listener listen(SocketAddress address, ListenOptions options,
            Supplier<? extends ConnectionHandler> handlers) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handlers, "handlers");
        ensureRunning();
        try (ListeningSockets<?> sockets = listeningSockets()) {
            return listen(address, options, handlers, sockets);
        }
    }

    private <S> Listener listen(SocketAddress address, ListenOptions options,
            Supplier<? extends ConnectionHandler> handlers, ListeningSockets<S> calls) throws IOException {
        List<EventLoop> reactors = loops;
        int count = options.reusePort() ? reactors.size() : 1;
        List<S> sockets = new ArrayList<>(count);
        InetSocketAddress bound = null;
        try {
            for (int i = 0; i < count; i++) {
                // Later sockets bind the port the first one got, so port 0 works with SO_REUSEPORT.
                S socket = calls.open(bound == null ? address : bound, options);
                sockets.add(socket);
                if (bound == null) {
                    bound = calls.localAddress(socket);
                }
            }
        } catch (IOException | RuntimeException e) {
            sockets.forEach(calls::close);
            throw calls.listenFailure(address, e);
        }
        AbstractListener<?> listener = calls.newListener(bound, options, handlers);
        List<AbstractAcceptor<?>> acceptors = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            EventLoop reactor = options.reusePort() ? reactors.get(i) : next();
            acceptors.add(calls.newAcceptor(listener, reactor, sockets.get(i)));
        }
        listener.start(acceptors);
        return listener;
    }

    /**
     * {@return the system calls of one {@code listen} call} Made on the calling thread for that call
     * and closed after it.
     */
    protected abstract ListeningSockets<?> listeningSockets();

    @Override
    public final CompletableFuture<Connection> connect(SocketAddress address, ConnectOptions options,
            ConnectionHandler handler) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        CompletableFuture<Connection> result = new CompletableFuture<>();
        if (shuttingDown) {
            result.completeExceptionally(new IllegalStateException("this " + backend + " reactor group is shutting down"));
            return result;
        }
        EventLoop reactor = next();
        try {
            reactor.execute(() -> newConnectAttempt(reactor, address, options, handler, result).start());
        } catch (RejectedExecutionException e) {
            ConnectException failure = new ConnectException("connect to " + address + " failed: " + reactor + " has ended");
            failure.initCause(e);
            result.completeExceptionally(failure);
        }
        return result;
    }

    /**
     * Loop only (on {@code reactor}): makes an attempt to connect to {@code address}, not started.
     *
     * @param reactor the reactor the connection will belong to
     * @param address where to connect
     * @param options the connect's options
     * @param handler the handler of the connection once made
     * @param result completed with the connection, or exceptionally
     * @return the attempt, which the group starts
     */
    protected abstract AbstractConnectAttempt newConnectAttempt(EventLoop reactor, SocketAddress address,
            ConnectOptions options, ConnectionHandler handler, CompletableFuture<Connection> result);

    /** {@return the configuration this group was opened with} */
    public final ReactorConfig config() {
        return config;
    }

    @Override
    public final String backend() {
        return backend;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public final List<Reactor> reactors() {
        return (List) loops;
    }

    /** {@return the reactors as the backend's base type, in index order} */
    protected final List<EventLoop> eventLoops() {
        return loops;
    }

    @Override
    public final EventLoop next() {
        List<EventLoop> current = loops;
        return current.get(Math.floorMod(nextIndex.getAndIncrement(), current.size()));
    }

    /** {@return a connection id, unique in this group and never reused} Any thread. */
    protected final long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }

    /**
     * Records a listener so that shutdown closes it before it winds down connections.
     *
     * @param listener the listener just opened
     */
    protected final void track(Listener listener) {
        listeners.add(listener);
    }

    /**
     * Forgets a closed listener.
     *
     * @param listener the listener that closed
     */
    protected final void untrack(Listener listener) {
        listeners.remove(listener);
    }

    /** Throws if the group is shutting down, for listen and connect. */
    protected final void ensureRunning() {
        if (shuttingDown) {
            throw new IllegalStateException("this " + backend + " reactor group is shutting down");
        }
    }

    @Override
    public final synchronized CompletableFuture<Void> shutdownGracefully(Duration timeout) {
        if (!shuttingDown) {
            shuttingDown = true;
            for (Listener listener : List.copyOf(listeners)) {
                try {
                    listener.close();
                } catch (RuntimeException e) {
                    LOG.warn("closing {} failed during shutdown", listener, e);
                }
            }
            long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
            for (EventLoop loop : loops) {
                loop.beginShutdown(deadline);
            }
        }
        return terminated;
    }

    @Override
    public final boolean isShuttingDown() {
        return shuttingDown;
    }

    @Override
    public final void close() {
        if (inAnyEventLoop()) {
            throw new IllegalStateException(
                    "close() waits for the reactor threads and cannot run on one; use shutdownGracefully()");
        }
        shutdownGracefully(Duration.ofSeconds(5)).join();
    }

    /** {@return whether the calling thread is one of this group's reactors} Any thread. */
    protected final boolean inAnyEventLoop() {
        for (EventLoop loop : loops) {
            if (loop.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return backend + " reactor group (" + loops.size() + " reactors)";
    }
}
