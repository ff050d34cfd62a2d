package io.katana.reactor.uring;

import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.spi.AbstractAcceptor;
import io.katana.reactor.spi.AbstractListener;
import io.katana.reactor.spi.EventLoop;
import io.katana.reactor.spi.ffm.Errno;
import io.katana.reactor.spi.ffm.ErrnoException;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * One listening socket on one reactor, accepted from with one multishot accept: each completion is
 * an accepted fd, queued and taken by {@link AbstractAcceptor}'s batch. A failure such as {@code
 * EMFILE} ends the multishot accept; the pause that follows re-arms it after its delay, so nothing
 * spins. The peer's address is asked for only when someone wants it.
 *
 * <p><b>Threading:</b> as {@link AbstractAcceptor}.
 */
final class UringAcceptor extends AbstractAcceptor<Integer> implements Completion {
    /**
     * Out of descriptors, the JVM cannot load a class either: the EMFILE path's classes are loaded
     * when the acceptor is made.
     */
    private static final String EXHAUSTION_REPORT = new ErrnoException("accept", Errno.EMFILE).getMessage()
            + Errno.isAcceptOfOneConnectionFailed(Errno.EMFILE);

    private final UringReactor reactor;
    private final int fd;
    private final InetSocketAddress connectionLocalAddress;
    private int[] accepted = new int[16];
    private int acceptedFirst;
    private int acceptedCount;
    private int failure;
    private long token;
    private boolean slotted;
    private boolean armed;
    private boolean accepting = true;

    UringAcceptor(AbstractListener<?> listener, UringReactor reactor, int fd) {
        super(listener, reactor);
        this.reactor = reactor;
        this.fd = fd;
        InetSocketAddress bound = listener.localAddress();
        // Bound to one address, every accepted socket has it as its local address: no getsockname.
        this.connectionLocalAddress = bound.getAddress().isAnyLocalAddress() ? null : bound;
    }

    @Override
    protected void register() throws IOException {
        token = reactor.slots().add(this);
        slotted = true;
        arm();
    }

    private void arm() throws IOException {
        reactor.ring().acceptMultishot(fd, UringReactor.userData(token, ACCEPT));
        armed = true;
    }

    @Override
    public void complete(int tag, int result, int flags) {
        if ((flags & IoUring.CQE_F_MORE) == 0) {
            armed = false;
        }
        if (result >= 0) {
            queue(result);
        } else if (result != -IoUring.ECANCELED && result != -Errno.EAGAIN
                && !Errno.isAcceptOfOneConnectionFailed(-result)) {
            // EAGAIN: an accept the kernel retried on an io-wq worker found the non-blocking listener
            // empty; nothing failed, and the accept is armed again below.
            failure = -result;
        }
        acceptReady();
        if (!armed && accepting && !isClosed()) {
            try {
                arm();
            } catch (IOException e) {
                failure = Errno.EIO;
                acceptReady();
            }
        }
    }

    private void queue(int socket) {
        if (acceptedCount == accepted.length) {
            int[] larger = new int[acceptedCount * 2];
            for (int i = 0; i < acceptedCount; i++) {
                larger[i] = accepted[(acceptedFirst + i) % accepted.length];
            }
            accepted = larger;
            acceptedFirst = 0;
        }
        accepted[(acceptedFirst + acceptedCount) % accepted.length] = socket;
        acceptedCount++;
    }

    @Override
    protected Integer acceptOne() throws ErrnoException {
        if (acceptedCount > 0) {
            int socket = accepted[acceptedFirst];
            acceptedFirst = (acceptedFirst + 1) % accepted.length;
            acceptedCount--;
            return socket;
        }
        if (failure != 0) {
            int errno = failure;
            failure = 0;
            throw new ErrnoException("accept", errno);
        }
        return null;
    }

    @Override
    protected void setAccepting(boolean on) throws IOException {
        accepting = on;
        if (on && !armed) {
            arm();
        } else if (!on && armed) {
            reactor.ring().cancel(UringReactor.userData(token, ACCEPT));
        }
    }

    @Override
    protected void adopt(EventLoop target, Integer socket, ConnectionHandler handler) {
        UringReactor on = (UringReactor) target;
        new UringConnection(on, on.uringGroup().newConnectionId(), socket, connectionLocalAddress, null,
                listener().options().waterMarks(), handler, listener()::release).start(false);
    }

    @Override
    protected void closeAccepted(Integer socket) {
        reactor.closeDescriptor(socket);
    }

    @Override
    protected void closeListeningSocket() {
        while (acceptedCount > 0) {
            closeAccepted(acceptOneQueued());
        }
        if (slotted && reactor.inEventLoop() && !reactor.isReleased()) {
            slotted = false;
            reactor.slots().remove(token);
            reactor.closeDescriptor(fd);
            try {
                // Now, and with GETEVENTS: the cancelled multishot accept holds the socket until its
                // completion is posted, which with DEFER_TASKRUN waits for an enter that gets events,
                // and the port must be free when the listener's close returns.
                reactor.ring().submitAndWait(0);
            } catch (IOException e) {
                // the close goes with the next submission
            }
            return;
        }
        reactor.closeDescriptor(fd);
    }

    private int acceptOneQueued() {
        int socket = accepted[acceptedFirst];
        acceptedFirst = (acceptedFirst + 1) % accepted.length;
        acceptedCount--;
        return socket;
    }

    @Override
    public void closeOnTermination() {
        // AbstractAcceptor closed it before the reactor released its ring.
    }
}
