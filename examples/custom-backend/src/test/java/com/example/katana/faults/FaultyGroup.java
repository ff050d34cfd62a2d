package com.example.katana.faults;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectOptions;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.spi.ForwardingReactorGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A delegate group with one {@link Fault} injected at its edges: options rewritten, IPv6 refused,
 * connect failures swallowed during shutdown, shutdown delayed; the per-connection faults live in
 * {@link FaultyHandler} and {@link FaultyConnection}.
 *
 * <p><b>Threading:</b> as the delegate: every method from any thread.
 */
final class FaultyGroup extends ForwardingReactorGroup {
    private final Fault fault;
    private final Object shutdownLock = new Object();
    private volatile boolean shuttingDown;
    private CompletableFuture<Void> terminated;

    FaultyGroup(String name, ReactorGroup delegate, Fault fault) {
        super(name, delegate);
        this.fault = fault;
    }

    Fault fault() {
        return fault;
    }

    @Override
    public Listener listen(SocketAddress address, ListenOptions options, Supplier<? extends ConnectionHandler> handlers)
            throws IOException {
        if (fault == Fault.IPV6_REFUSED && isIpv6(address)) {
            throw new SocketException("Address family not supported by protocol (injected fault " + fault + ")");
        }
        ListenOptions effective = switch (fault) {
            case TCP_NODELAY_IGNORED -> options.withTcpNoDelay(false);
            case BUFFER_SIZES_IGNORED -> options.withReceiveBufferSize(0).withSendBufferSize(0);
            case REUSE_ADDRESS_IGNORED -> options.withReuseAddress(false);
            default -> options;
        };
        return delegate().listen(address, effective, () -> new FaultyHandler(this, handlers.get()));
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress address, ConnectOptions options, ConnectionHandler handler) {
        if (fault == Fault.IPV6_REFUSED && isIpv6(address)) {
            return CompletableFuture.failedFuture(
                    new SocketException("Address family not supported by protocol (injected fault " + fault + ")"));
        }
        ConnectOptions effective = switch (fault) {
            case TCP_NODELAY_IGNORED -> options.withTcpNoDelay(false);
            case BUFFER_SIZES_IGNORED -> options.withReceiveBufferSize(0).withSendBufferSize(0);
            default -> options;
        };
        FaultyHandler faulty = new FaultyHandler(this, handler);
        CompletableFuture<Connection> result = new CompletableFuture<>();
        delegate().connect(address, effective, faulty).whenComplete((connection, failure) -> {
            if (failure == null) {
                result.complete(faulty.decorated(connection));
            } else if (fault == Fault.PENDING_CONNECTS_NEVER_FAILED && isShuttingDown()) {
                // The fault: the attempt ended with the group, and nobody tells the caller.
            } else {
                if (fault == Fault.PENDING_CONNECT_SOCKETS_LEAKED && isShuttingDown()) {
                    leak(); // the fault: the attempt's socket outlives it
                }
                result.completeExceptionally(failure);
            }
        });
        return result;
    }

    private static final List<SocketChannel> LEAKED = new CopyOnWriteArrayList<>();

    private static void leak() {
        try {
            LEAKED.add(SocketChannel.open());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the sockets {@link Fault#PENDING_CONNECT_SOCKETS_LEAKED} left open; for the fault test. */
    static void closeLeakedSockets() {
        for (SocketChannel channel : LEAKED) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a leak is best effort
            }
        }
        LEAKED.clear();
    }

    private static boolean isIpv6(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet6Address;
    }

    @Override
    public CompletableFuture<Void> shutdownGracefully(Duration timeout) {
        if (fault != Fault.ADOPTED_DURING_SHUTDOWN) {
            shuttingDown = true;
            return delegate().shutdownGracefully(timeout);
        }
        synchronized (shutdownLock) {
            if (terminated == null) {
                shuttingDown = true;
                terminated = new CompletableFuture<>();
                CompletableFuture.runAsync(() -> delegate().shutdownGracefully(timeout).whenComplete((v, e) -> {
                    if (e == null) {
                        terminated.complete(null);
                    } else {
                        terminated.completeExceptionally(e);
                    }
                }), CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
            }
            return terminated;
        }
    }

    @Override
    public boolean isShuttingDown() {
        return shuttingDown || delegate().isShuttingDown();
    }

    @Override
    public void close() {
        shutdownGracefully(Duration.ofSeconds(5)).join();
    }

    @Override
    public String toString() {
        return backend() + " (" + fault + ") over " + delegate();
    }
}
