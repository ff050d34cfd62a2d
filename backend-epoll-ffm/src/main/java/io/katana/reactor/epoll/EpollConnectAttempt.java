package io.katana.reactor.epoll;

import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLLET;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLLIN;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLLOUT;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLLRDHUP;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLL_CTL_ADD;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.epoll.ffi.Syscalls;
import io.katana.reactor.spi.AbstractConnectAttempt;
import io.katana.reactor.spi.ffm.ErrnoException;
import io.katana.reactor.spi.ffm.SocketCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * One outgoing connect: the system calls of an {@link AbstractConnectAttempt}. A non-blocking
 * {@code connect}, {@code SO_ERROR} to learn the outcome, then an {@link EpollConnection} that keeps
 * the same registration. Edge-triggered, the socket is registered from the start with the events
 * the connection will want, so the hand-over needs no {@code epoll_ctl}.
 *
 * <p><b>Threading:</b> loop only.
 */
final class EpollConnectAttempt extends AbstractConnectAttempt implements ReadinessHandler {
    private final EpollReactor reactor;
    private InetSocketAddress remote;
    private int fd = -1;
    private long token;
    private boolean slotted;
    private boolean registered;
    private int registeredEvents;

    EpollConnectAttempt(EpollReactor reactor, SocketAddress address, ConnectOptions options,
            ConnectionHandler handler, CompletableFuture<Connection> result) {
        super(reactor, address, options, handler, result);
        this.reactor = reactor;
    }

    @Override
    protected boolean connect() throws IOException {
        remote = SocketCalls.requireInet(address(), EpollReactorProvider.NAME);
        SocketCalls sockets = reactor.calls().sockets();
        fd = sockets.outgoing(remote, options());
        return sockets.startConnect(fd, remote);
    }

    @Override
    protected void register() throws ErrnoException {
        token = reactor.slots().add(this);
        slotted = true;
        int events = reactor.mode() == TriggerMode.EDGE ? EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET : EPOLLOUT;
        int added = reactor.calls().epollCtl(reactor.epollFd(), EPOLL_CTL_ADD, fd, events, token);
        if (added < 0) {
            throw Syscalls.failure("epoll_ctl ADD", added);
        }
        registered = true;
        registeredEvents = events;
    }

    @Override
    public void ready(int events) {
        connectReady(events);
    }

    @Override
    protected boolean finishConnect(int events) throws ErrnoException {
        int error = reactor.calls().sockets().socketError(fd);
        if (error != 0) {
            throw new ErrnoException("connect", error);
        }
        // Not yet connected without EPOLLOUT (an edge-triggered input event cannot come first, but be safe).
        return (events & EPOLLOUT) != 0;
    }

    @Override
    protected Connection newConnection(long id) {
        EpollConnection connection = new EpollConnection(reactor, id, fd, null, remote, options().waterMarks(),
                handler(), () -> {});
        slotted = false; // the connection takes the registration over
        connection.startConnected(token, registered, registeredEvents);
        return connection;
    }

    @Override
    protected void closeSocket() {
        if (slotted) {
            slotted = false;
            reactor.slots().remove(token);
        }
        if (fd >= 0) {
            reactor.closeDescriptor(fd);
            fd = -1;
        }
    }

    @Override
    public void closeOnTermination() {
        // AbstractConnectAttempt failed it before the reactor released its poller.
    }
}
