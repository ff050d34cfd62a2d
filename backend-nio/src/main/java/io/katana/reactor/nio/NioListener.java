package io.katana.reactor.nio;

import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One or more {@link NioAcceptor}s bound to the same address: one per reactor with {@code
 * SO_REUSEPORT}, otherwise one. Counts the connections it accepted that are still open, for {@link
 * ListenOptions#maxConnections()}.
 *
 * <p><b>Threading:</b> safe from any thread.
 */
final class NioListener implements Listener {
    private final NioReactorGroup group;
    private final InetSocketAddress address;
    private final ListenOptions options;
    private final Supplier<? extends ConnectionHandler> handlers;
    private final AtomicInteger openConnections = new AtomicInteger();
    private volatile List<NioAcceptor> acceptors = List.of();
    private volatile boolean open = true;

    NioListener(NioReactorGroup group, InetSocketAddress address, ListenOptions options,
            Supplier<? extends ConnectionHandler> handlers) {
        this.group = group;
        this.address = address;
        this.options = options;
        this.handlers = handlers;
    }

    void start(List<NioAcceptor> started) {
        this.acceptors = List.copyOf(started);
    }

    NioReactorGroup group() {
        return group;
    }

    ListenOptions options() {
        return options;
    }

    ConnectionHandler newHandler() {
        return handlers.get();
    }

    /** Claims a connection slot; false when {@link ListenOptions#maxConnections()} is reached. */
    boolean tryAdmit() {
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

    /** Gives back a connection slot. */
    void release() {
        openConnections.decrementAndGet();
    }

    @Override
    public InetSocketAddress localAddress() {
        return address;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        CompletableFuture<?>[] closed = acceptors.stream().map(NioAcceptor::close).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(closed).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // A reactor that already ended closed its sockets on the way out.
        }
        group.forget(this);
    }

    @Override
    public String toString() {
        return "nio listener on " + address;
    }
}
