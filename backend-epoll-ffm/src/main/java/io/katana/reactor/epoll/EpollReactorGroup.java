package io.katana.reactor.epoll;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.epoll.ffi.EpollEventLayout;
import io.katana.reactor.epoll.ffi.Errno;
import io.katana.reactor.epoll.ffi.ErrnoException;
import io.katana.reactor.epoll.ffi.Syscalls;
import io.katana.reactor.spi.AbstractReactorGroup;
import io.katana.reactor.spi.EventLoop;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group of {@link EpollReactor}s.
 *
 * <p>Listening sockets are opened on the calling thread (so a bind failure is thrown to the caller)
 * and then handed to their reactors: one per reactor with {@code SO_REUSEPORT}, the kernel spreading
 * connections among them; otherwise one acceptor handing connections round-robin to the group.
 *
 * <p><b>Threading:</b> safe from any thread.
 */
final class EpollReactorGroup extends AbstractReactorGroup {
    private static final Logger LOG = LoggerFactory.getLogger(EpollReactorGroup.class);

    EpollReactorGroup(ReactorConfig config, TriggerMode mode) {
        super(EpollReactorProvider.NAME, config);
        startReactors(index -> new EpollReactor(this, config, index, mode));
    }

    @Override
    public Listener listen(SocketAddress address, ListenOptions options, Supplier<? extends ConnectionHandler> handlers)
            throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handlers, "handlers");
        ensureRunning();
        InetSocketAddress local = requireInet(address, "listen on");
        List<EventLoop> loops = eventLoops();
        int count = options.reusePort() ? loops.size() : 1;
        List<Integer> fds = new ArrayList<>(count);
        InetSocketAddress bound = null;
        try (Arena arena = Arena.ofConfined()) {
            Syscalls calls = new Syscalls(arena, EpollEventLayout.current().orElseThrow());
            try {
                for (int i = 0; i < count; i++) {
                    // Later sockets bind the port the first one got, so port 0 works with SO_REUSEPORT.
                    int fd = SocketOptionsApplier.listening(calls, bound == null ? local : bound, options);
                    fds.add(fd);
                    if (bound == null) {
                        bound = calls.localAddress(fd);
                    }
                }
            } catch (ErrnoException | RuntimeException e) {
                for (int fd : fds) {
                    calls.close(fd);
                }
                throw listenFailure(address, e);
            }
        }
        EpollListener listener = new EpollListener(this, bound, options, handlers);
        List<EpollAcceptor> acceptors = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            EpollReactor reactor = (EpollReactor) (options.reusePort() ? loops.get(i) : next());
            acceptors.add(new EpollAcceptor(listener, reactor, fds.get(i)));
        }
        listener.start(acceptors);
        return listener;
    }

    private static IOException listenFailure(SocketAddress address, Exception e) {
        String message = "cannot listen on " + address + ": " + e.getMessage();
        IOException failure = e instanceof ErrnoException errno && errno.errno() == Errno.EADDRINUSE
                ? new BindException(message + "; another socket holds the port")
                : e instanceof ErrnoException errno && errno.errno() == Errno.EADDRNOTAVAIL
                        ? new BindException(message + "; the address is not one of this host's")
                        : new IOException(message);
        failure.initCause(e);
        return failure;
    }

    /** Loop only (on {@code reactor}): makes an accepted socket a connection of {@code reactor}. */
    void adopt(EpollReactor reactor, int fd, InetSocketAddress peer, EpollListener listener) {
        // The group's flag, not only the reactor's: the group shuts down before each reactor hears of it.
        if (reactor.isReleased() || reactor.isShuttingDown() || isShuttingDown()) {
            reactor.closeDescriptor(fd);
            listener.release();
            return;
        }
        ConnectionHandler handler;
        try {
            handler = listener.newHandler();
        } catch (RuntimeException e) {
            reactor.closeDescriptor(fd);
            listener.release();
            LOG.warn("the handler factory of {} threw; the connection from {} was closed", listener, peer, e);
            return;
        }
        EpollConnection connection = new EpollConnection(reactor, nextConnectionId(), fd,
                listener.connectionLocalAddress(), peer, listener.options().waterMarks(), handler, listener::release);
        connection.startAccepted();
    }

    long newConnectionId() {
        return nextConnectionId();
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress address, ConnectOptions options, ConnectionHandler handler) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        CompletableFuture<Connection> result = new CompletableFuture<>();
        if (isShuttingDown()) {
            result.completeExceptionally(new IllegalStateException("this epoll-ffm reactor group is shutting down"));
            return result;
        }
        InetSocketAddress remote;
        try {
            remote = requireInet(address, "connect to");
        } catch (IOException e) {
            ConnectException failure = new ConnectException(e.getMessage());
            failure.initCause(e);
            result.completeExceptionally(failure);
            return result;
        }
        EpollReactor reactor = (EpollReactor) next();
        try {
            reactor.execute(() -> new EpollConnectAttempt(this, reactor, remote, options, handler, result).start());
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private static InetSocketAddress requireInet(SocketAddress address, String action) throws IOException {
        if (!(address instanceof InetSocketAddress inet)) {
            throw new IOException("cannot " + action + " " + address + ": the epoll-ffm backend speaks TCP over "
                    + "IPv4 and IPv6 only; pass an InetSocketAddress");
        }
        if (inet.isUnresolved()) {
            throw new IOException("cannot " + action + " " + address + ": the host name is unresolved; "
                    + "resolve it first (new InetSocketAddress(host, port) does)");
        }
        return inet;
    }
}
