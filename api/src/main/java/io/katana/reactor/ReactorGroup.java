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

    /** {@return the name of the backend that runs this group, such as {@code epoll-ffm} or {@code nio}} */
    String backend();

    /** {@return the reactors of this group, in index order} */
    List<Reactor> reactors();

    /**
     * {@return the sum of every reactor's counters} Any thread; each reactor's figures may be a moment
     * stale.
     */
    default ReactorStats stats() {
        ReactorStats total = ReactorStats.ZERO;
        for (Reactor reactor : reactors()) {
            total = total.plus(reactor.stats());
        }
        return total;
    }

    /**
     * {@return the next reactor in round-robin order} Used to spread work such as outgoing connections
     * or application tasks over the group.
     */
    Reactor next();

    /**
     * Binds a listening socket and accepts connections into this group; each accepted connection
     * gets a fresh handler from {@code handlers}.
     *
     * @param address the local address to bind; port 0 picks a free port
     * @param options backlog, socket options and limits of the listener
     * @param handlers called once per accepted connection, on the reactor thread that will own it,
     *     so possibly from several threads at once
     * @return the open listener; closing it stops accepting but leaves accepted connections open
     * @throws IOException if the address cannot be bound (in use, not local, no permission)
     */
    Listener listen(SocketAddress address, ListenOptions options, Supplier<? extends ConnectionHandler> handlers)
            throws IOException;

    /**
     * {@link #listen(SocketAddress, ListenOptions, Supplier)} with {@link ListenOptions#DEFAULT}.
     *
     * @param address the local address to bind; port 0 picks a free port
     * @param handlers called once per accepted connection, on the reactor that will own it
     * @return the open listener
     * @throws IOException if the address cannot be bound
     */
    default Listener listen(SocketAddress address, Supplier<? extends ConnectionHandler> handlers)
            throws IOException {
        return listen(address, ListenOptions.DEFAULT, handlers);
    }

    /**
     * Connects to {@code address} from the next reactor. The future completes after the handler's
     * {@link ConnectionHandler#onOpen}, or fails with {@link java.net.ConnectException} (refused,
     * unreachable) or {@link java.net.SocketTimeoutException} (no answer within the timeout).
     *
     * @param address the peer to connect to
     * @param options timeout and socket options of the connection
     * @param handler receives the connection's events once it is open
     * @return completes with the open connection, on that connection's reactor thread (so dependent
     *     actions attached before then run there and must not block)
     */
    CompletableFuture<Connection> connect(SocketAddress address, ConnectOptions options, ConnectionHandler handler);

    /**
     * {@link #connect(SocketAddress, ConnectOptions, ConnectionHandler)} with {@link
     * ConnectOptions#DEFAULT}.
     *
     * @param address the peer to connect to
     * @param handler receives the connection's events once it is open
     * @return completes with the open connection
     */
    default CompletableFuture<Connection> connect(SocketAddress address, ConnectionHandler handler) {
        return connect(address, ConnectOptions.DEFAULT, handler);
    }

    /**
     * Shuts down gracefully: closes every listener, then asks every connection's handler to finish
     * ({@link ConnectionHandler#onShutdown}; by default the connection closes after what it has
     * queued is written), and stops the reactors once all connections are gone or {@code timeout}
     * has passed (connections still open then are aborted). Calling it again returns the same future.
     *
     * @param timeout how long connections get to finish before they are aborted
     * @return completes when every reactor thread has ended
     */
    CompletableFuture<Void> shutdownGracefully(Duration timeout);

    /** {@return whether shutdown has begun} */
    boolean isShuttingDown();

    /** {@link #shutdownGracefully(Duration)} with a 5 second timeout, waiting for it to finish. */
    @Override
    default void close() {
        shutdownGracefully(Duration.ofSeconds(5)).join();
    }
}
