package io.katana.reactor;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A fixed set of {@link Reactor}s of one backend, each on its own thread, that together serve
 * listeners and connections.
 *
 * <p><b>Threading:</b> every method may be called from any thread, reactor threads included;
 * {@link #close()} must not be called from a reactor thread of this group (it waits for them).
 */
public interface ReactorGroup extends AutoCloseable {

    /** The name of the backend that runs this group, such as {@code epoll-ffm} or {@code nio}. */
    String backend();

    /** The reactors of this group, in index order. */
    List<Reactor> reactors();

    /** The sum of every reactor's counters; any thread. */
    default ReactorStats stats() {
        ReactorStats total = ReactorStats.ZERO;
        for (Reactor reactor : reactors()) {
            total = total.plus(reactor.stats());
        }
        return total;
    }

    /** The next reactor in round-robin order, for spreading work. */
    Reactor next();

    /**
     * Binds a listening socket and accepts connections into this group; each accepted connection
     * gets a fresh handler from {@code handlers}.
     *
     * @throws IOException if the address cannot be bound (in use, not local, no permission)
     */
    Listener listen(SocketAddress address, ListenOptions options, Supplier<? extends ConnectionHandler> handlers)
            throws IOException;

    /** {@link #listen(SocketAddress, ListenOptions, Supplier)} with {@link ListenOptions#DEFAULT}. */
    default Listener listen(SocketAddress address, Supplier<? extends ConnectionHandler> handlers)
            throws IOException {
        return listen(address, ListenOptions.DEFAULT, handlers);
    }

    /**
     * Connects to {@code address} from the next reactor. The future completes after the handler's
     * {@link ConnectionHandler#onOpen}, or fails with {@link java.net.ConnectException} (refused,
     * unreachable) or {@link java.net.SocketTimeoutException} (no answer within the timeout).
     */
    CompletableFuture<Connection> connect(SocketAddress address, ConnectOptions options, ConnectionHandler handler);

    /** {@link #connect(SocketAddress, ConnectOptions, ConnectionHandler)} with {@link ConnectOptions#DEFAULT}. */
    default CompletableFuture<Connection> connect(SocketAddress address, ConnectionHandler handler) {
        return connect(address, ConnectOptions.DEFAULT, handler);
    }

    /**
     * Shuts down gracefully: closes every listener, then asks every connection's handler to finish
     * ({@link ConnectionHandler#onShutdown}; by default the connection closes after what it has
     * queued is written), and stops the reactors once all connections are gone or {@code timeout}
     * has passed (connections still open then are aborted). Calling it again returns the same future.
     *
     * @return completes when every reactor thread has ended
     */
    CompletableFuture<Void> shutdownGracefully(Duration timeout);

    /** Whether shutdown has begun. */
    boolean isShuttingDown();

    /** {@link #shutdownGracefully(Duration)} with a 5 second timeout, waiting for it to finish. */
    @Override
    default void close() {
        shutdownGracefully(Duration.ofSeconds(5)).join();
    }
}
