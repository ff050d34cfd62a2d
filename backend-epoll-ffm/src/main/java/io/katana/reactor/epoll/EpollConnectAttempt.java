package io.katana.reactor.epoll;

import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLLET;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLLIN;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLLOUT;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLLRDHUP;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLL_CTL_ADD;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ScheduledTask;
import io.katana.reactor.epoll.ffi.Errno;
import io.katana.reactor.epoll.ffi.ErrnoException;
import io.katana.reactor.epoll.ffi.Syscalls;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One outgoing connect: a non-blocking {@code connect}, a wait for output readiness bounded by the
 * timeout, {@code SO_ERROR} to learn the outcome, then an {@link EpollConnection} that keeps the
 * same registration. Edge-triggered, the socket is registered from the start with the events the
 * connection will want, so the hand-over needs no {@code epoll_ctl}.
 *
 * <p><b>Threading:</b> loop only.
 */
final class EpollConnectAttempt implements ReadinessHandler {
    private final EpollReactorGroup group;
    private final EpollReactor reactor;
    private final InetSocketAddress address;
    private final ConnectOptions options;
    private final ConnectionHandler handler;
    private final CompletableFuture<Connection> result;
    private int fd = -1;
    private long token;
    private boolean registered;
    private int registeredEvents;
    private ScheduledTask timeout;
    private boolean done;

    EpollConnectAttempt(EpollReactorGroup group, EpollReactor reactor, InetSocketAddress address,
            ConnectOptions options, ConnectionHandler handler, CompletableFuture<Connection> result) {
        this.group = group;
        this.reactor = reactor;
        this.address = address;
        this.options = options;
        this.handler = handler;
        this.result = result;
    }

    void start() {
        if (reactor.isReleased() || reactor.isShuttingDown()) {
            finish(new ConnectException("connect to " + address + " failed: the reactor group is shutting down"));
            return;
        }
        Syscalls calls = reactor.calls();
        try {
            fd = SocketOptionsApplier.outgoing(calls, address, options);
        } catch (ErrnoException | RuntimeException e) {
            finish(connectFailure(e.getMessage(), e));
            return;
        }
        int connected = calls.connect(fd, address);
        if (connected == 0) {
            established();
            return;
        }
        if (connected != -Errno.EINPROGRESS) {
            finish(connectFailure(Syscalls.failure("connect", connected).getMessage(),
                    Syscalls.failure("connect", connected)));
            return;
        }
        token = reactor.slots().add(this);
        int events = reactor.mode() == TriggerMode.EDGE ? EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET : EPOLLOUT;
        int added = calls.epollCtl(reactor.epollFd(), EPOLL_CTL_ADD, fd, events, token);
        if (added < 0) {
            finish(connectFailure(Syscalls.failure("epoll_ctl ADD", added).getMessage(), null));
            return;
        }
        registered = true;
        registeredEvents = events;
        timeout = reactor.schedule(options.timeout().toNanos(), TimeUnit.NANOSECONDS, this::timedOut);
    }

    @Override
    public void ready(int events) {
        if (done) {
            return;
        }
        int error;
        try {
            error = reactor.calls().socketError(fd);
        } catch (ErrnoException e) {
            timeout.cancel();
            finish(connectFailure(e.getMessage(), e));
            return;
        }
        if (error != 0) {
            timeout.cancel();
            ErrnoException cause = new ErrnoException("connect", error);
            finish(connectFailure(cause.getMessage(), cause));
            return;
        }
        if ((events & EPOLLOUT) == 0) {
            return; // not yet connected (an edge-triggered input event cannot come first, but be safe)
        }
        timeout.cancel();
        established();
    }

    private void established() {
        done = true;
        EpollConnection connection = new EpollConnection(reactor, group.newConnectionId(), fd, null, address,
                options.waterMarks(), handler, () -> {});
        connection.startConnected(token, registered, registeredEvents);
        result.complete(connection);
    }

    private void timedOut() {
        if (!done) {
            finish(new SocketTimeoutException("connect to " + address + " timed out after "
                    + options.timeout().toMillis() + " ms"));
        }
    }

    private void finish(Throwable failure) {
        done = true;
        if (registered) {
            reactor.slots().remove(token);
        }
        if (fd >= 0) {
            reactor.closeDescriptor(fd);
            fd = -1;
        }
        result.completeExceptionally(failure);
    }

    @Override
    public void closeOnTermination() {
        if (!done) {
            finish(new ConnectException("connect to " + address + " failed: the reactor ended"));
        }
    }

    private ConnectException connectFailure(String message, Throwable cause) {
        ConnectException failure = new ConnectException("connect to " + address + " failed: " + message);
        if (cause != null) {
            failure.initCause(cause);
        }
        return failure;
    }

    @Override
    public String toString() {
        return "connect attempt to " + address + " (" + reactor + ")";
    }
}
