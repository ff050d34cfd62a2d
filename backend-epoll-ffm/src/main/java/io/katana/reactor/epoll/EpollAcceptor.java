package io.katana.reactor.epoll;

import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLLIN;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLL_CTL_ADD;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLL_CTL_MOD;

import io.katana.reactor.epoll.ffi.Errno;
import io.katana.reactor.epoll.ffi.ErrnoException;
import io.katana.reactor.epoll.ffi.Syscalls;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket on one reactor. It accepts in a batch until {@code EAGAIN} and hands each
 * connection to a reactor: its own with {@code SO_REUSEPORT}, otherwise the group's next.
 *
 * <p>Out of file descriptors ({@code EMFILE}, {@code ENFILE}) or kernel memory, it must not spin:
 * the pending connection stays in the kernel's queue and would report readiness at once again. So
 * it takes the socket's interest away ({@code EPOLL_CTL_MOD} to no events), and a timer gives it
 * back after {@value #ACCEPT_PAUSE_MILLIS} ms; the modification re-reports a still non-empty queue
 * in either trigger mode. Failures are logged at most once per {@value #LOG_INTERVAL_SECONDS} s,
 * with how many happened since the last report.
 *
 * <p><b>Threading:</b> loop only, except {@link #close()}.
 */
final class EpollAcceptor implements ReadinessHandler {
    private static final Logger LOG = LoggerFactory.getLogger(EpollAcceptor.class);
    static final long ACCEPT_PAUSE_MILLIS = 100;
    private static final long LOG_INTERVAL_SECONDS = 10;
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(LOG_INTERVAL_SECONDS);

    /**
     * Out of descriptors, the JVM cannot open a class file either: every class the EMFILE path
     * needs is loaded here, when the listener is created, instead of on the first failure (which
     * would otherwise end the reactor with a NoClassDefFoundError). Found by {@code EmfileTest}.
     */
    private static final String EXHAUSTION_REPORT = new ErrnoException("accept4", Errno.EMFILE).getMessage()
            + Errno.isAcceptOfOneConnectionFailed(Errno.EMFILE);

    private final EpollListener listener;
    private final EpollReactor reactor;
    private final int fd;
    private final int events;
    private long token;
    private boolean registered;
    private boolean closed;
    private boolean paused;
    private long lastFailureLog = System.nanoTime() - LOG_INTERVAL_NANOS;
    private long failuresSinceLog;

    EpollAcceptor(EpollListener listener, EpollReactor reactor, int fd) {
        this.listener = listener;
        this.reactor = reactor;
        this.fd = fd;
        this.events = EPOLLIN | reactor.mode().flag();
    }

    /** Registers with the reactor; completes when accepting has begun. */
    CompletableFuture<Void> start() {
        CompletableFuture<Void> started = new CompletableFuture<>();
        try {
            reactor.execute(() -> {
                if (reactor.isReleased() || reactor.isShuttingDown()) {
                    closeNow();
                    started.completeExceptionally(new IllegalStateException(reactor + " is shutting down"));
                    return;
                }
                token = reactor.slots().add(this);
                int result = reactor.calls().epollCtl(reactor.epollFd(), EPOLL_CTL_ADD, fd, events, token);
                if (result < 0) {
                    closeNow();
                    started.completeExceptionally(Syscalls.failure("epoll_ctl ADD listener", result));
                    return;
                }
                registered = true;
                started.complete(null);
            });
        } catch (RejectedExecutionException e) {
            closeNow(); // the reactor has ended: nothing else can touch this socket
            started.completeExceptionally(e);
        }
        return started;
    }

    @Override
    public void ready(int readyEvents) {
        Syscalls calls = reactor.calls();
        while (!closed && !paused) {
            int accepted = calls.accept4(fd);
            if (accepted >= 0) {
                hand(accepted, calls.acceptedPeer());
                continue;
            }
            int errno = -accepted;
            if (errno == Errno.EAGAIN) {
                return;
            }
            if (Errno.isAcceptOfOneConnectionFailed(errno)) {
                continue; // only that connection failed (the peer gave up, say): take the next one
            }
            pauseAccepting(Syscalls.failure("accept4", accepted).getMessage());
            return;
        }
    }

    private void hand(int accepted, InetSocketAddress peer) {
        if (!listener.tryAdmit()) {
            reactor.calls().close(accepted); // past the connection limit: refuse cleanly, serve the others
            return;
        }
        EpollReactor target = listener.options().reusePort() ? reactor : (EpollReactor) listener.group().next();
        if (target == reactor) {
            listener.group().adopt(target, accepted, peer, listener);
            return;
        }
        try {
            target.execute(() -> listener.group().adopt(target, accepted, peer, listener));
        } catch (RejectedExecutionException e) {
            reactor.calls().close(accepted);
            listener.release();
        }
    }

    private void pauseAccepting(String failure) {
        failuresSinceLog++;
        long now = System.nanoTime();
        if (now - lastFailureLog >= LOG_INTERVAL_NANOS) {
            LOG.warn("accepting on {} failed ({}; {} time(s) since the last report); pausing accepts for {} ms",
                    listener.localAddress(), failure, failuresSinceLog, ACCEPT_PAUSE_MILLIS);
            lastFailureLog = now;
            failuresSinceLog = 0;
        }
        paused = true;
        reactor.calls().epollCtl(reactor.epollFd(), EPOLL_CTL_MOD, fd, 0, token);
        reactor.schedule(ACCEPT_PAUSE_MILLIS, TimeUnit.MILLISECONDS, this::resumeAccepting);
    }

    private void resumeAccepting() {
        if (closed || !paused) {
            return;
        }
        paused = false;
        int result = reactor.calls().epollCtl(reactor.epollFd(), EPOLL_CTL_MOD, fd, events, token);
        if (result < 0) {
            pauseAccepting(Syscalls.failure("epoll_ctl MOD listener", result).getMessage());
        }
    }

    /** Stops accepting and closes the socket on the reactor; completes when done. */
    CompletableFuture<Void> close() {
        if (reactor.inEventLoop()) {
            closeNow();
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            reactor.execute(() -> {
                closeNow();
                done.complete(null);
            });
        } catch (RejectedExecutionException e) {
            done.complete(null); // the reactor ended and released its registrations on the way out
        }
        return done;
    }

    private void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        if (registered) {
            reactor.slots().remove(token);
        }
        reactor.closeDescriptor(fd);
    }

    @Override
    public void closeOnTermination() {
        closeNow();
    }

    @Override
    public String toString() {
        return "acceptor on " + listener.localAddress() + " (" + reactor + ")";
    }
}
