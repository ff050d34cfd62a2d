package io.katana.reactor.epoll;

import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLLIN;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLL_CTL_ADD;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLL_CTL_MOD;

import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.epoll.ffi.Syscalls;
import io.katana.reactor.spi.AbstractAcceptor;
import io.katana.reactor.spi.EventLoop;
import io.katana.reactor.spi.ffm.Errno;
import io.katana.reactor.spi.ffm.ErrnoException;
import java.net.InetSocketAddress;

/**
 * One listening socket on one reactor: the system calls of an {@link AbstractAcceptor}, which
 * accepts, admits, hands off and pauses. {@code accept4} until {@code EAGAIN}; the pause after
 * {@code EMFILE} takes the socket's interest away with {@code EPOLL_CTL_MOD} to no events, and
 * giving it back re-reports a still non-empty queue in either trigger mode.
 *
 * <p><b>Threading:</b> as {@link AbstractAcceptor}.
 */
final class EpollAcceptor extends AbstractAcceptor<EpollAcceptor.Accepted> implements ReadinessHandler {
    /** How long accepting pauses after a failure such as {@code EMFILE}. */
    static final long ACCEPT_PAUSE_MILLIS = AbstractAcceptor.ACCEPT_PAUSE_MILLIS;

    /**
     * Out of descriptors, the JVM cannot open a class file either: every class the EMFILE path
     * needs is loaded here, when the listener is created, instead of on the first failure (which
     * would otherwise end the reactor with a NoClassDefFoundError). Found by {@code EmfileTest}.
     */
    private static final String EXHAUSTION_REPORT = new ErrnoException("accept4", Errno.EMFILE).getMessage()
            + Errno.isAcceptOfOneConnectionFailed(Errno.EMFILE);

    /** An accepted socket and its peer, as {@code accept4} returned them. */
    record Accepted(int fd, InetSocketAddress peer) {}

    private final EpollListener listener;
    private final EpollReactor reactor;
    private final int fd;
    private final int events;
    private long token;
    private boolean slotted;

    EpollAcceptor(EpollListener listener, EpollReactor reactor, int fd) {
        super(listener, reactor);
        this.listener = listener;
        this.reactor = reactor;
        this.fd = fd;
        this.events = EPOLLIN | reactor.mode().flag();
    }

    @Override
    protected void register() throws ErrnoException {
        token = reactor.slots().add(this);
        slotted = true;
        int result = reactor.calls().epollCtl(reactor.epollFd(), EPOLL_CTL_ADD, fd, events, token);
        if (result < 0) {
            throw Syscalls.failure("epoll_ctl ADD listener", result);
        }
    }

    @Override
    public void ready(int readyEvents) {
        acceptReady();
    }

    @Override
    protected Accepted acceptOne() throws ErrnoException {
        Syscalls calls = reactor.calls();
        while (true) {
            int accepted = calls.accept4(fd);
            if (accepted >= 0) {
                return new Accepted(accepted, calls.acceptedPeer());
            }
            int errno = -accepted;
            if (errno == Errno.EAGAIN) {
                return null;
            }
            if (!Errno.isAcceptOfOneConnectionFailed(errno)) {
                throw Syscalls.failure("accept4", accepted);
            }
            // only that connection failed (the peer gave up, say): take the next one
        }
    }

    @Override
    protected void setAccepting(boolean accepting) throws ErrnoException {
        int result = reactor.calls().epollCtl(reactor.epollFd(), EPOLL_CTL_MOD, fd, accepting ? events : 0, token);
        if (result < 0) {
            throw Syscalls.failure("epoll_ctl MOD listener", result);
        }
    }

    @Override
    protected void adopt(EventLoop target, Accepted accepted, ConnectionHandler handler) {
        EpollReactor on = (EpollReactor) target;
        new EpollConnection(on, on.epollGroup().newConnectionId(), accepted.fd(), listener.connectionLocalAddress(),
                accepted.peer(), listener.options().waterMarks(), handler, listener::release).startAccepted();
    }

    @Override
    protected void closeAccepted(Accepted accepted) {
        reactor.closeDescriptor(accepted.fd());
    }

    @Override
    protected void closeListeningSocket() {
        if (slotted && reactor.inEventLoop()) {
            slotted = false;
            reactor.slots().remove(token);
        }
        reactor.closeDescriptor(fd);
    }

    @Override
    public void closeOnTermination() {
        // AbstractAcceptor closed it before the reactor released its poller.
    }
}
