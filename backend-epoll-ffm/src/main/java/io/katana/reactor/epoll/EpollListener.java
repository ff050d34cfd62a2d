package io.katana.reactor.epoll;

import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One or more {@link EpollAcceptor}s bound to one address: one per reactor with {@code
 * SO_REUSEPORT}, otherwise one. Counts its accepted connections still open, for {@link
 * ListenOptions#maxConnections()}.
 *
 * <p><b>Threading:</b> safe from any thread.
 */
final class EpollListener implements Listener {
    private final EpollReactorGroup group;
    private final InetSocketAddress address;
    private final InetSocketAddress connectionLocalAddress;
    private final ListenOptions options;
    private final Supplier<? extends ConnectionHandler> handlers;
    private final AtomicInteger openConnections = new AtomicInteger();
    private volatile List<EpollAcceptor> acceptors = List.of();
    private volatile boolean open = true;

    EpollListener(EpollReactorGroup group, InetSocketAddress address, ListenOptions options,
            Supplier<? extends ConnectionHandler> handlers) {
        this.group = group;
        this.address = address;
        // Bound to one address, every accepted socket has it as its local address: no getsockname.
        this.connectionLocalAddress = address.getAddress().isAnyLocalAddress() ? null : address;
        this.options = options;
        this.handlers = handlers;
    }

    void start(List<EpollAcceptor> started) {
        this.acceptors = List.copyOf(started);
    }

    EpollReactorGroup group() {
        return group;
    }

    ListenOptions options() {
        return options;
    }

    /** The local address of accepted connections when it is known without asking, else null. */
    InetSocketAddress connectionLocalAddress() {
        return connectionLocalAddress;
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
        CompletableFuture<?>[] closed = acceptors.stream().map(EpollAcceptor::close).toArray(CompletableFuture[]::new);
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
        return "epoll listener on " + address;
    }
}
