package io.katana.reactor.spi;

import io.katana.reactor.Listener;
import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a {@link ReactorGroup} every backend shares: the reactors and their threads,
 * round-robin choice, connection ids that are never reused, the listeners to close first on
 * shutdown, and the graceful shutdown itself. A backend's constructor calls {@link
 * #startReactors(IntFunction)}; it implements {@code listen} and {@code connect}.
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
