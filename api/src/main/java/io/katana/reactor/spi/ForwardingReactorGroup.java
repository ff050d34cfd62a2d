package io.katana.reactor.spi;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorGroup;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A group that decorates another: it names itself as its reactors' group (each delegate reactor is
 * wrapped in a {@link ForwardingReactor}) and forwards everything else. A decorating backend (one
 * that logs, meters or injects faults) extends this and overrides {@link #listen} and {@link #connect}
 * to wrap the application's handlers.
 *
 * <p><b>Threading:</b> as the delegate: every method is safe from any thread.
 */
public abstract class ForwardingReactorGroup implements ReactorGroup {
    private final String name;
    private final ReactorGroup delegate;
    private final List<Reactor> reactors;

    /**
     * Creates a group that forwards to {@code delegate} under the name {@code name}.
     *
     * @param name what {@link #backend()} reports
     * @param delegate the group every call goes to
     */
    protected ForwardingReactorGroup(String name, ReactorGroup delegate) {
        this.name = Objects.requireNonNull(name, "name");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.reactors = delegate.reactors().stream().<Reactor>map(r -> new ForwardingReactor(r, this)).toList();
    }

    /** {@return the decorated group} */
    protected final ReactorGroup delegate() {
        return delegate;
    }

    /**
     * {@return this group's reactor that wraps {@code inner}} A decorator meets its delegate's reactors
     * (a connection's, say) and must hand out its own.
     *
     * @param inner a reactor of the delegate
     * @throws IllegalArgumentException if {@code inner} is not one of the delegate's reactors
     */
    public final Reactor decorated(Reactor inner) {
        for (Reactor reactor : reactors) {
            if (((ForwardingReactor) reactor).wraps(inner)) {
                return reactor;
            }
        }
        throw new IllegalArgumentException(inner + " is not a reactor of " + delegate);
    }

    @Override
    public final String backend() {
        return name;
    }

    @Override
    public final List<Reactor> reactors() {
        return reactors;
    }

    @Override
    public final Reactor next() {
        return decorated(delegate.next());
    }

    @Override
    public Listener listen(SocketAddress address, ListenOptions options, Supplier<? extends ConnectionHandler> handlers)
            throws IOException {
        return delegate.listen(address, options, handlers);
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress address, ConnectOptions options, ConnectionHandler handler) {
        return delegate.connect(address, options, handler);
    }

    @Override
    public CompletableFuture<Void> shutdownGracefully(Duration timeout) {
        return delegate.shutdownGracefully(timeout);
    }

    @Override
    public boolean isShuttingDown() {
        return delegate.isShuttingDown();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return name + " over " + delegate;
    }
}
