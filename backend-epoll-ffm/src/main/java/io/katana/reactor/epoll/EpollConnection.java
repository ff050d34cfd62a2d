package io.katana.reactor.epoll;

import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLLERR;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLLHUP;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLLIN;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLLOUT;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLLRDHUP;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLL_CTL_ADD;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLL_CTL_DEL;
import static io.katana.reactor.epoll.ffi.LinuxConstants.EPOLL_CTL_MOD;

import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.WaterMarks;
import io.katana.reactor.epoll.ffi.IovecArray;
import io.katana.reactor.epoll.ffi.LinuxConstants;
import io.katana.reactor.epoll.ffi.Syscalls;
import io.katana.reactor.spi.AbstractConnection;
import io.katana.reactor.spi.FileRegion;
import io.katana.reactor.spi.IoBuffer;
import io.katana.reactor.spi.OutboundQueue;
import io.katana.reactor.spi.ffm.Errno;
import io.katana.reactor.spi.ffm.ErrnoException;
import io.katana.reactor.spi.ffm.FfmFileRegion;
import io.katana.reactor.spi.ffm.SocketCalls;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A TCP connection on a non-blocking socket registered with its reactor's epoll fd.
 *
 * <p>System calls per event: one {@code read} (a second only when the first filled the buffer),
 * one {@code send} for a single queued chunk or one {@code writev} for several, and {@code sendfile}
 * for a queued file region (opened with {@code open}, closed once sent). An accepted
 * connection is read at once, before it is registered, because the request usually arrived with
 * the handshake; if that first exchange already closed it, it is never registered at all. (While
 * such early reads keep finding nothing, the reactor stops trying them: see {@link
 * EpollReactor#shouldReadEarly()}.) Closing
 * is a bare {@code close}: the kernel drops the registration with the last reference to the socket.
 *
 * <p>Edge-triggered (the default), the socket is registered once for {@code EPOLLIN | EPOLLOUT |
 * EPOLLRDHUP} and never modified: output readiness is ignored unless a write is waiting, and
 * pausing input just stops reading. Level-triggered, interest follows what the connection wants,
 * with an {@code EPOLL_CTL_MOD} per change.
 *
 * <p><b>Threading:</b> as {@link AbstractConnection}.
 */
final class EpollConnection extends AbstractConnection implements ReadinessHandler {
    private final EpollReactor reactor;
    private final int fd;
    private final InetSocketAddress remote;
    private final Runnable onSocketClosed;
    private final Object fdLock = new Object();
    private volatile InetSocketAddress local;
    private volatile boolean fdClosed;

    // Loop only.
    private long token;
    private boolean started;
    private boolean registered;
    private int registeredEvents;
    private boolean peerShutdownSeen;
    private boolean drained;
    private boolean lastReadFilled;
    private boolean inputSeen;
    private boolean rereadQueued;
    private ByteBuffer addressedBuffer;
    private long addressedBufferBase;

    /**
     * @param local the local address when already known (a listener bound to a specific address),
     *     or null to ask the kernel when first needed
     */
    EpollConnection(EpollReactor reactor, long id, int fd, InetSocketAddress local, InetSocketAddress remote,
            WaterMarks waterMarks, ConnectionHandler handler, Runnable onSocketClosed) {
        super(reactor, id, waterMarks, handler);
        this.reactor = reactor;
        this.fd = fd;
        this.local = local;
        this.remote = remote;
        this.onSocketClosed = onSocketClosed;
    }

    /** The socket's file descriptor number; for diagnostics and tests. */
    int fd() {
        return fd;
    }

    /** Loop only: this connection's registration token. */
    long token() {
        return token;
    }

    /** Loop only: an accepted socket. Opens, reads what came with the handshake, then registers. */
    void startAccepted() {
        token = reactor.slots().add(this);
        opened();
        boolean readEarly = reactor.shouldReadEarly();
        afterOpen(readEarly);
        if (readEarly) {
            reactor.earlyReadOutcome(inputSeen);
        }
    }

    /**
     * Loop only: an outgoing socket whose connect completed.
     *
     * @param attemptToken the connect attempt's token, taken over when it registered the socket
     * @param attemptRegistered whether the attempt registered the socket
     * @param attemptEvents the events the attempt registered
     */
    void startConnected(long attemptToken, boolean attemptRegistered, int attemptEvents) {
        if (attemptRegistered) {
            token = attemptToken;
            reactor.slots().replace(token, this);
            registered = true;
            registeredEvents = attemptEvents;
        } else {
            token = reactor.slots().add(this);
        }
        openedOutgoing();
        afterOpen(true);
    }

    private void afterOpen(boolean readEarly) {
        if (readEarly && wantsToRead()) {
            inputSeen = false;
            readEvent(0);
        }
        started = true;
        if (!isOpen()) {
            return; // answered and closed within the first read: never registered at all
        }
        if (!registered) {
            register();
        } else if (reactor.mode() == TriggerMode.LEVEL) {
            updateLevelInterest();
        }
    }

    private void register() {
        int events = reactor.mode() == TriggerMode.EDGE
                ? EPOLLIN | EPOLLOUT | EPOLLRDHUP | LinuxConstants.EPOLLET
                : levelEvents();
        int result = reactor.calls().epollCtl(reactor.epollFd(), EPOLL_CTL_ADD, fd, events, token);
        if (result < 0) {
            failed(Syscalls.failure("epoll_ctl ADD", result));
            return;
        }
        registered = true;
        registeredEvents = events;
    }

    @Override
    public void ready(int events) {
        if ((events & EPOLLOUT) != 0 && wantsToWrite()) {
            writeReady();
        }
        if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) == 0 || !isOpen()) {
            return;
        }
        if ((events & (EPOLLRDHUP | EPOLLHUP)) != 0) {
            // Sticky: edge-triggered, this news comes once, even if it comes while reading is paused or
            // before a read budget runs out; a later short read must not be taken for "nothing more".
            peerShutdownSeen = true;
        }
        if (wantsToRead()) {
            readEvent(events);
        } else if ((events & EPOLLERR) != 0) {
            // Not reading (paused, or input ended): surface a reset now instead of at the next write.
            reportSocketError();
        } else if ((events & EPOLLHUP) != 0 && reactor.mode() == TriggerMode.LEVEL && registered) {
            // Level-triggered, a hang-up is reported on every poll whatever the interest: stop
            // polling this socket until it wants to read again.
            reactor.calls().epollCtl(reactor.epollFd(), EPOLL_CTL_DEL, fd, 0, token);
            registered = false;
        }
    }

    private void readEvent(int events) {
        drained = false;
        lastReadFilled = false;
        readReady();
        if (!wantsToRead()) {
            return;
        }
        if (peerShutdownSeen && drained) {
            readReady(); // the peer's FIN is known and everything before it was read: end of stream, no syscall
        } else if (lastReadFilled && !rereadQueued && reactor.mode() == TriggerMode.EDGE) {
            // The read budget ran out with the buffer full: more may wait, and no new edge will say so.
            rereadQueued = true;
            reactor.readAgainSoon(this);
        }
    }

    /** Loop only: called by the reactor for a read attempt it was asked for. */
    void readAgain() {
        rereadQueued = false;
        if (wantsToRead() && registered) {
            readEvent(0);
        }
    }

    private void reportSocketError() {
        try {
            int error = reactor.calls().sockets().socketError(fd);
            if (error != 0) {
                failed(new ErrnoException("socket", error));
            }
        } catch (ErrnoException e) {
            failed(e);
        }
    }

    @Override
    protected int readInto(ByteBuffer dst) throws IOException {
        if (peerShutdownSeen && drained) {
            return -1;
        }
        int position = dst.position();
        int length = dst.remaining();
        long n = reactor.calls().read(fd, baseAddress(dst) + position, length);
        if (n >= 0) {
            inputSeen = true;
        }
        if (n > 0) {
            dst.position(position + (int) n);
            drained = n < length;
            lastReadFilled = n == length;
            return (int) n;
        }
        if (n == 0) {
            return -1;
        }
        if (n == -Errno.EAGAIN) {
            drained = true;
            lastReadFilled = false;
            return 0;
        }
        throw Syscalls.failure("read", n);
    }

    /** The native address of {@code buffer}'s first byte, without making a segment per read. */
    private long baseAddress(ByteBuffer buffer) {
        if (buffer == reactor.readBuffer().buffer()) {
            return reactor.readBufferAddress();
        }
        if (buffer != addressedBuffer) {
            addressedBuffer = buffer;
            addressedBufferBase = MemorySegment.ofBuffer(buffer).address() - buffer.position();
        }
        return addressedBufferBase;
    }

    @Override
    protected long writeOut(OutboundQueue queue, int chunks) throws IOException {
        long n;
        if (chunks == 1) {
            IoBuffer chunk = queue.chunk(0);
            // A file region next (a response head before its file): the flush sends it at once, so the
            // head waits for its first bytes and both leave in one segment, not a small one of its own.
            boolean regionNext = queue.chunkCount() > 1 && queue.entryIsRegion(1);
            n = reactor.calls().send(fd, chunk.positionAddress(), chunk.buffer().remaining(), regionNext);
        } else {
            IovecArray iov = reactor.iovecs();
            for (int i = 0; i < chunks; i++) {
                IoBuffer chunk = queue.chunk(i);
                iov.set(i, chunk.positionAddress(), chunk.buffer().remaining());
            }
            n = reactor.calls().writev(fd, iov, chunks);
        }
        if (n >= 0) {
            return n;
        }
        if (n == -Errno.EAGAIN) {
            return 0;
        }
        throw Syscalls.failure(chunks == 1 ? "send" : "writev", n);
    }

    @Override
    protected FileRegion openFile(Path file, long position, long count) throws IOException {
        return FfmFileRegion.open(reactor, file, position, count);
    }

    @Override
    protected boolean transfersFiles() {
        return true;
    }

    @Override
    protected long transferFile(FileRegion region, long maxBytes) throws IOException {
        return ((FfmFileRegion) region).sendTo(fd, maxBytes);
    }

    @Override
    protected int maxGatherChunks() {
        return reactor.iovecs().capacity();
    }

    @Override
    protected void setReadInterest(boolean on) {
        if (reactor.mode() == TriggerMode.LEVEL) {
            updateLevelInterest();
        } else if (on && started && !rereadQueued) {
            // Bytes that arrived while paused raised their edge then; look for them once.
            rereadQueued = true;
            reactor.readAgainSoon(this);
        }
    }

    @Override
    protected void setWriteInterest(boolean on) {
        if (reactor.mode() == TriggerMode.LEVEL) {
            updateLevelInterest();
        }
        // Edge-triggered: EPOLLOUT is registered from the start and only edges after a full buffer.
    }

    private int levelEvents() {
        return (wantsToRead() ? EPOLLIN | EPOLLRDHUP : 0) | (wantsToWrite() ? EPOLLOUT : 0);
    }

    private void updateLevelInterest() {
        if (fdClosed || !started) {
            return; // afterOpen registers with whatever is wanted by then
        }
        int wanted = levelEvents();
        if (!registered) {
            if (wanted != 0) {
                register(); // back in the poll set after a hang-up took it out
            }
            return;
        }
        if (wanted != registeredEvents) {
            int result = reactor.calls().epollCtl(reactor.epollFd(), EPOLL_CTL_MOD, fd, wanted, token);
            if (result < 0) {
                failed(Syscalls.failure("epoll_ctl MOD", result));
                return;
            }
            registeredEvents = wanted;
        }
    }

    @Override
    protected void shutdownSocketOutput() throws IOException {
        int result = reactor.calls().sockets().shutdown(fd, SocketCalls.SHUT_WR);
        if (result < 0) {
            throw Syscalls.failure("shutdown", result);
        }
    }

    @Override
    protected void resetOnClose() {
        synchronized (fdLock) {
            if (!fdClosed) {
                reactor.calls().sockets().lingerZero(fd); // a failure only means a plain close: nothing to do about it
            }
        }
    }

    @Override
    protected void closeSocket() {
        reactor.slots().remove(token);
        synchronized (fdLock) {
            fdClosed = true;
            // No EPOLL_CTL_DEL: closing the last reference to the socket removes it from epoll.
            reactor.closeDescriptor(fd);
        }
        onSocketClosed.run();
    }

    @Override
    public void closeOnTermination() {
        abort();
    }

    @Override
    public SocketAddress localAddress() {
        InetSocketAddress known = local;
        if (known != null || fdClosed) {
            return known;
        }
        if (reactor.inEventLoop()) {
            known = reactor.calls().sockets().addressOrNull(fd, false);
        } else {
            synchronized (fdLock) {
                if (fdClosed) {
                    return null;
                }
                known = SocketCalls.addressOrNull(Syscalls.socketFunctions(), fd, false);
            }
        }
        local = known;
        return known;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }
}
