package io.katana.reactor.uring;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.spi.AbstractConnectAttempt;
import io.katana.reactor.spi.ffm.ErrnoException;
import io.katana.reactor.spi.ffm.SocketCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * One outgoing connect: the system calls of an {@link AbstractConnectAttempt}. A non-blocking
 * {@code connect}, then a one-shot {@code POLLOUT} poll through the ring, {@code SO_ERROR} for the
 * outcome, and a {@link UringConnection} on the socket, made blocking first (see {@link
 * SystemCalls#makeBlocking}).
 *
 * <p><b>Threading:</b> loop only.
 */
final class UringConnectAttempt extends AbstractConnectAttempt implements Completion {
    private static final int POLLOUT = 0x4;

    private final UringReactor reactor;
    private InetSocketAddress remote;
    private int fd = -1;
    private long token;
    private boolean slotted;

    UringConnectAttempt(UringReactor reactor, SocketAddress address, ConnectOptions options,
            ConnectionHandler handler, CompletableFuture<Connection> result) {
        super(reactor, address, options, handler, result);
        this.reactor = reactor;
    }

    @Override
    protected boolean connect() throws IOException {
        remote = SocketCalls.requireInet(address(), UringReactorProvider.NAME);
        SocketCalls sockets = reactor.calls().sockets();
        fd = sockets.outgoing(remote, options());
        if (sockets.startConnect(fd, remote)) {
            becomeBlocking();
            return true;
        }
        return false;
    }

    /** Connected: from now on the ring waits for the socket, as for accepted ones. */
    private void becomeBlocking() throws IOException {
        int result = reactor.calls().makeBlocking(fd);
        if (result < 0) {
            throw SystemCalls.failure("fcntl F_SETFL (clearing O_NONBLOCK)", result);
        }
    }

    @Override
    protected void register() throws IOException {
        token = reactor.slots().add(this);
        slotted = true;
        reactor.ring().pollAdd(fd, POLLOUT, UringReactor.userData(token, POLL));
    }

    @Override
    public void complete(int tag, int result, int flags) {
        connectReady(result);
    }

    @Override
    protected boolean finishConnect(int result) throws IOException {
        if (result < 0) {
            throw new ErrnoException("poll", -result);
        }
        int error = reactor.calls().sockets().socketError(fd);
        if (error != 0) {
            throw new ErrnoException("connect", error);
        }
        becomeBlocking();
        return true;
    }

    @Override
    protected Connection newConnection(long id) {
        forget();
        UringConnection connection = new UringConnection(reactor, id, fd, null, remote, options().waterMarks(),
                handler(), () -> {});
        fd = -1; // the connection owns it now
        connection.start(true);
        return connection;
    }

    @Override
    protected void closeSocket() {
        forget();
        if (fd >= 0) {
            reactor.closeDescriptor(fd);
            fd = -1;
        }
    }

    private void forget() {
        if (slotted) {
            slotted = false;
            reactor.slots().remove(token);
        }
    }

    @Override
    public void closeOnTermination() {
        // AbstractConnectAttempt failed it before the reactor released its ring.
    }
}
