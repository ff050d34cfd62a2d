package io.katana.reactor.uring;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.WaterMarks;
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
import java.util.concurrent.atomic.LongAdder;

/**
 * A TCP connection on a socket driven by its reactor's ring, mapped onto the readiness-shaped
 * {@link AbstractConnection}:
 *
 * <ul>
 *   <li>Input: one multishot receive, armed while the connection wants to read and cancelled when
 *       it pauses. Each completion names a provided buffer the kernel filled; it is held until the
 *       connection presents it. The handler's {@code onRead} gets the provided buffer itself ({@link
 *       #sharedReadTarget()}), which goes back to the ring once the call returns and the bytes the
 *       handler left have been copied out; bytes that join kept ones are copied after them. An idle
 *       connection holds no read buffer. End of stream and a receive error are held likewise, behind
 *       the bytes that came before them.
 *   <li>Output: at most one send in flight. {@link #writeOut} submits the oldest queued chunks (one
 *       {@code send}, or one {@code sendmsg} over several) and reports 0 bytes, so the queue keeps
 *       them, unchanged, while the kernel reads them; the completion makes the next {@code writeOut}
 *       report what was sent, submitting the rest at once after a partial send. A send is first
 *       tried inline ({@link IoUring#sendmsg}), which completes silently when it sent everything:
 *       the reactor then settles it after the iteration's completions ({@link #settleInlineSend}).
 *       What an inline send left, after a short send or {@code EAGAIN}, goes as a plain send that
 *       waits in the ring for room.
 *   <li>Files: a queued file region goes with {@code sendfile} from the loop, the socket non-blocking
 *       for that call only ({@link #transferFile}); when the socket fills, a one-shot {@code POLLOUT}
 *       poll in the ring says when to go on.
 *   <li>Close: every pending operation on the fd is cancelled and the fd closed through the ring,
 *       with the next submission. The registration stays until the receive, the send and the poll in
 *       flight have completed (cancelled), so their buffers come back and nothing is left to the kernel.
 * </ul>
 *
 * <p><b>Threading:</b> as {@link AbstractConnection}.
 */
final class UringConnection extends AbstractConnection implements Completion {
    /** The most chunks one {@code sendmsg} gathers; its {@code msghdr} and iovecs fit one pool chunk. */
    private static final int MAX_GATHER = 256;
    private static final int MSGHDR_SIZE = 64;
    private static final int POLLOUT = 0x4;

    /** The {@code sendfile} rounds of every connection ({@link #transferFile} calls that sent); for tests. */
    static final LongAdder FILE_TRANSFERS = new LongAdder();
    /** The {@code POLLOUT} polls a file region asked for after filling the socket; for tests. */
    static final LongAdder ROOM_POLLS = new LongAdder();

    private final UringReactor reactor;
    private final int fd;
    private final Runnable onSocketClosed;
    private final Object fdLock = new Object();
    private volatile InetSocketAddress local;
    private volatile InetSocketAddress remote;
    private volatile boolean fdClosed;

    // Loop only.
    private long token;
    private boolean registered;
    private boolean receiving;
    private boolean cancellingReceive;
    private int[] heldIds = new int[4];
    private int[] heldLengths = new int[4];
    private int heldFirst;
    private int heldCount;
    private int heldOffset;
    private int lentId = -1;
    private boolean endOfStream;
    private int receiveError;
    private boolean rereadQueued;
    private boolean sending;
    private boolean sendCompleted;
    private int sendResult;
    private IoBuffer sendMessage;
    private boolean inlineSendPending;
    private int inlineSendSequence;
    private int inlineSendLength;
    private boolean awaitingRoom;

    /**
     * @param local the local address when known without asking, else null
     * @param remote the peer's address when known (an outgoing connection), else null to ask when needed
     */
    UringConnection(UringReactor reactor, long id, int fd, InetSocketAddress local, InetSocketAddress remote,
            WaterMarks waterMarks, ConnectionHandler handler, Runnable onSocketClosed) {
        super(reactor, id, waterMarks, handler);
        this.reactor = reactor;
        this.fd = fd;
        this.local = local;
        this.remote = remote;
        this.onSocketClosed = onSocketClosed;
    }

    /** Loop only: registers, opens (the handler hears {@code onOpen}) and starts receiving. */
    void start(boolean outgoing) {
        token = reactor.slots().add(this);
        registered = true;
        if (outgoing) {
            openedOutgoing();
        } else {
            opened();
        }
        if (wantsToRead()) {
            armReceive();
        }
    }

    private void armReceive() {
        if (receiving || fdClosed || endOfStream || receiveError != 0) {
            return;
        }
        try {
            reactor.ring().recvMultishot(fd, reactor.providedBuffers().group(), UringReactor.userData(token, RECV));
            receiving = true;
        } catch (IOException e) {
            failed(e);
        }
    }

    @Override
    public void complete(int tag, int result, int flags) {
        if (tag == RECV) {
            received(result, flags);
        } else if (tag == SEND) {
            inlineSendPending = false; // an inline send that completes aloud came up short or failed
            sent(result);
        } else if (tag == POLL) {
            awaitingRoom = false;
            if (!fdClosed) {
                writeReady(); // room, an error or a hang-up: the next sendfile tells which
            }
        }
        if (fdClosed && !receiving && !sending && !awaitingRoom && registered) {
            registered = false;
            reactor.slots().remove(token); // the last completion of a closed connection
        }
    }

    private void received(int result, int flags) {
        if ((flags & IoUring.CQE_F_MORE) == 0) {
            receiving = false;
            cancellingReceive = false;
        }
        if (result > 0 && (flags & IoUring.CQE_F_BUFFER) != 0) {
            int id = flags >>> IoUring.CQE_BUFFER_SHIFT;
            if (fdClosed) {
                reactor.providedBuffers().recycle(id);
                return;
            }
            hold(id, result);
        } else if (result == 0) {
            endOfStream = true;
        } else if (result < 0 && result != -Errno.ENOBUFS && result != -IoUring.ECANCELED && result != -Errno.EAGAIN) {
            receiveError = -result;
        }
        if (fdClosed) {
            return;
        }
        presentHeld();
        if (wantsToRead()) {
            armReceive(); // a multishot receive ended (out of buffers, or cancelled before a resume): again
        }
    }

    private void hold(int id, int length) {
        if (heldCount == heldIds.length) {
            int[] ids = new int[heldCount * 2];
            int[] lengths = new int[heldCount * 2];
            for (int i = 0; i < heldCount; i++) {
                ids[i] = heldIds[(heldFirst + i) % heldIds.length];
                lengths[i] = heldLengths[(heldFirst + i) % heldIds.length];
            }
            heldIds = ids;
            heldLengths = lengths;
            heldFirst = 0;
        }
        int at = (heldFirst + heldCount) % heldIds.length;
        heldIds[at] = id;
        heldLengths[at] = length;
        heldCount++;
    }

    /** Hands what is held to the handler, while it reads; end of stream or an error after the bytes. */
    private void presentHeld() {
        if (!wantsToRead() || !hasSomethingHeld()) {
            return;
        }
        readReady();
        if (wantsToRead() && heldCount == 0 && (endOfStream || receiveError != 0)) {
            readReady(); // the bytes all went; now the end or the failure behind them
        }
        returnLent();
        if (wantsToRead() && hasSomethingHeld() && !rereadQueued) {
            rereadQueued = true; // the read budget ran out: the rest after this round's completions
            reactor.readAgainSoon(this);
        }
    }

    /** The provided buffer the handler last read from goes back to the ring: onRead has returned. */
    private void returnLent() {
        if (lentId >= 0) {
            reactor.providedBuffers().recycle(lentId);
            lentId = -1;
        }
    }

    @Override
    protected ByteBuffer sharedReadTarget() {
        if (heldCount > 0 && heldOffset == 0) {
            return reactor.providedBuffers().view(heldIds[heldFirst]);
        }
        return super.sharedReadTarget();
    }

    private boolean hasSomethingHeld() {
        return heldCount > 0 || endOfStream || receiveError != 0;
    }

    /** Loop only: called by the reactor for a presentation it was asked for. */
    void readAgain() {
        rereadQueued = false;
        if (!fdClosed) {
            presentHeld();
        }
    }

    @Override
    protected int readInto(ByteBuffer dst) throws IOException {
        returnLent();
        if (heldCount == 0) {
            if (receiveError != 0) {
                throw new ErrnoException("recv", receiveError);
            }
            return endOfStream ? -1 : 0;
        }
        BufferRing buffers = reactor.providedBuffers();
        if (heldOffset == 0 && dst == buffers.view(heldIds[heldFirst])) {
            // The kernel's buffer itself: lent to the handler, returned after onRead.
            int length = heldLengths[heldFirst];
            lentId = heldIds[heldFirst];
            heldFirst = (heldFirst + 1) % heldIds.length;
            heldCount--;
            dst.position(length);
            return length;
        }
        int total = 0;
        while (heldCount > 0 && dst.hasRemaining()) {
            int id = heldIds[heldFirst];
            int length = heldLengths[heldFirst];
            int n = Math.min(length - heldOffset, dst.remaining());
            dst.put(dst.position(), buffers.filled(id, length), heldOffset, n);
            dst.position(dst.position() + n);
            total += n;
            heldOffset += n;
            if (heldOffset == length) {
                buffers.recycle(id);
                heldOffset = 0;
                heldFirst = (heldFirst + 1) % heldIds.length;
                heldCount--;
            }
        }
        return total;
    }

    private void releaseHeld() {
        BufferRing buffers = reactor.providedBuffers();
        while (heldCount > 0) {
            buffers.recycle(heldIds[heldFirst]);
            heldFirst = (heldFirst + 1) % heldIds.length;
            heldCount--;
        }
        heldOffset = 0;
    }

    private void sent(int result) {
        sending = false;
        if (sendMessage != null) {
            reactor.buffers().release(sendMessage);
            sendMessage = null;
        }
        if (fdClosed) {
            return;
        }
        sendCompleted = true;
        sendResult = result;
        writeReady();
    }

    @Override
    protected long writeOut(OutboundQueue queue, int chunks) throws IOException {
        if (sending) {
            return 0;
        }
        if (!sendCompleted) {
            submitSend(queue, chunks, 0, true);
            return 0;
        }
        sendCompleted = false;
        if (sendResult == -Errno.EAGAIN) {
            // Not a failure: the kernel gave up waiting for room on our behalf (a socket that is still
            // non-blocking, an io-wq retry, or an inline send). Ask again: the new send waits for room
            // in the ring.
            submitSend(queue, chunks, 0, false);
            return 0;
        }
        if (sendResult < 0) {
            throw new ErrnoException("send", -sendResult);
        }
        long sent = sendResult;
        if (sent < queue.bytesInFirst(chunks)) {
            submitSend(queue, chunks, sent, false); // the rest at once: the caller waits for its completion
        }
        return sent;
    }

    /**
     * Submits the first {@code chunks} chunks of {@code queue} after skipping {@code skip} bytes;
     * {@code inline}: as an inline send, which the reactor settles if it makes no completion.
     */
    private void submitSend(OutboundQueue queue, int chunks, long skip, boolean inline) throws IOException {
        int first = 0;
        long offset = skip;
        while (offset >= queue.chunk(first).buffer().remaining()) {
            offset -= queue.chunk(first).buffer().remaining();
            first++;
        }
        long userData = UringReactor.userData(token, SEND);
        long length = queue.bytesInFirst(chunks) - skip;
        inline &= length <= Integer.MAX_VALUE; // a completion's result must be able to say "all of it"
        // A file region next (a response head before its file): sendfile follows as soon as this send
        // is settled, so the head waits for the file's first bytes and leaves in one segment with them.
        boolean regionNext = queue.chunkCount() > chunks && queue.entryIsRegion(chunks);
        int sequence;
        if (chunks - first == 1) {
            IoBuffer chunk = queue.chunk(first);
            sequence = reactor.ring().send(fd, chunk.positionAddress() + offset, (int) length, userData, inline, regionNext);
        } else {
            int count = chunks - first;
            IoBuffer message = reactor.buffers().acquire(MSGHDR_SIZE + 16 * count);
            MemorySegment memory = message.segment();
            long iovecs = memory.address() + MSGHDR_SIZE;
            for (long at = 0; at < MSGHDR_SIZE; at += 8) {
                memory.set(JAVA_LONG, at, 0L);
            }
            memory.set(JAVA_LONG, 16, iovecs); // msg_iov
            memory.set(JAVA_LONG, 24, count); // msg_iovlen
            for (int i = 0; i < count; i++) {
                IoBuffer chunk = queue.chunk(first + i);
                long skipHere = i == 0 ? offset : 0;
                memory.set(JAVA_LONG, MSGHDR_SIZE + 16L * i, chunk.positionAddress() + skipHere);
                memory.set(JAVA_LONG, MSGHDR_SIZE + 16L * i + 8, chunk.buffer().remaining() - skipHere);
            }
            sequence = reactor.ring().sendmsg(fd, memory.address(), userData, inline, regionNext);
            sendMessage = message;
        }
        sending = true;
        if (inline) {
            inlineSendPending = true;
            inlineSendSequence = sequence;
            inlineSendLength = (int) length;
            reactor.settleAfterIssue(this);
        }
    }

    /** Loop only: whether an inline send is still to be settled and something waits for it. */
    boolean awaitsSettling() {
        return inlineSendPending && awaitsWriteCompletion(inlineSendLength);
    }

    /**
     * Loop only, after the iteration's completions were all reaped: an inline send the kernel has
     * issued and that made no completion sent everything.
     *
     * @return false if the send is not submitted yet: ask again after the next submission
     */
    boolean settleInlineSend() {
        if (!inlineSendPending) {
            return true; // its completion came: it was short, or failed
        }
        if (!reactor.ring().issued(inlineSendSequence)) {
            return false;
        }
        inlineSendPending = false;
        complete(SEND, inlineSendLength, 0);
        return true;
    }

    @Override
    protected FileRegion openFile(Path file, long position, long count) throws IOException {
        return FfmFileRegion.open(reactor, file, position, count);
    }

    @Override
    protected boolean transfersFiles() {
        return true;
    }

    /**
     * Sends from the file with {@code sendfile} on the loop. The flush offers a region only once the
     * chunks before it are sent and settled, so no send of this connection is in the ring meanwhile,
     * and the socket can be non-blocking for this call alone: the ring's sends need it blocking (see
     * {@link SystemCalls#makeBlocking}), a {@code sendfile} on the loop must not block. When the socket
     * fills, a {@code POLLOUT} poll waits in the ring and its completion flushes again.
     */
    @Override
    protected long transferFile(FileRegion region, long maxBytes) throws IOException {
        if (sending || awaitingRoom) {
            return 0; // not offered so by the flush; the completion that is due flushes again
        }
        SystemCalls calls = reactor.calls();
        int result = calls.makeNonBlocking(fd);
        if (result < 0) {
            throw SystemCalls.failure("fcntl F_SETFL (setting O_NONBLOCK)", result);
        }
        long sent;
        try {
            sent = ((FfmFileRegion) region).sendTo(fd, maxBytes);
        } finally {
            result = calls.makeBlocking(fd);
        }
        if (result < 0) {
            throw SystemCalls.failure("fcntl F_SETFL (clearing O_NONBLOCK)", result);
        }
        FILE_TRANSFERS.increment();
        if (sent < maxBytes) {
            reactor.ring().pollAdd(fd, POLLOUT, UringReactor.userData(token, POLL));
            awaitingRoom = true;
            ROOM_POLLS.increment();
        }
        return sent;
    }

    @Override
    protected int maxGatherChunks() {
        return MAX_GATHER;
    }

    @Override
    protected void setReadInterest(boolean on) {
        if (fdClosed) {
            return;
        }
        if (on) {
            armReceive();
            if (hasSomethingHeld() && !rereadQueued) {
                rereadQueued = true; // bytes that came while paused: present them, not from inside this call
                reactor.readAgainSoon(this);
            }
        } else if (receiving && !cancellingReceive) {
            cancellingReceive = true;
            try {
                reactor.ring().cancel(UringReactor.userData(token, RECV));
            } catch (IOException e) {
                failed(e);
            }
        }
    }

    @Override
    protected boolean writeInFlight() {
        return sending;
    }

    @Override
    protected void setWriteInterest(boolean on) {
        // A send in flight is the interest, or the POLLOUT poll a file region asked for when the socket
        // filled (transferFile): either completion calls writeReady.
    }

    @Override
    protected void shutdownSocketOutput() throws IOException {
        int result = reactor.calls().sockets().shutdown(fd, SocketCalls.SHUT_WR);
        if (result < 0) {
            throw SystemCalls.failure("shutdown", result);
        }
    }

    @Override
    protected void resetOnClose() {
        synchronized (fdLock) {
            if (!fdClosed) {
                reactor.calls().sockets().lingerZero(fd); // a failure only means a plain close
            }
        }
    }

    @Override
    protected void closeSocket() {
        releaseHeld();
        synchronized (fdLock) {
            fdClosed = true;
            reactor.closeDescriptor(fd);
        }
        if (!receiving && !sending && !awaitingRoom && registered) {
            registered = false;
            reactor.slots().remove(token);
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
        if (known == null && !fdClosed) {
            known = ask(false);
            local = known;
        }
        return known;
    }

    @Override
    public SocketAddress remoteAddress() {
        InetSocketAddress known = remote;
        if (known == null && !fdClosed) {
            known = ask(true);
            remote = known;
        }
        return known;
    }

    private InetSocketAddress ask(boolean peer) {
        if (reactor.inEventLoop() && !reactor.isReleased()) {
            return reactor.calls().sockets().addressOrNull(fd, peer);
        }
        synchronized (fdLock) {
            return fdClosed ? null : SocketCalls.addressOrNull(Libc.SOCKETS, fd, peer);
        }
    }

    /** {@return the socket's descriptor} */
    int fd() {
        return fd;
    }

    @Override
    public String toString() {
        return super.toString() + "[fd " + fd + "]";
    }
}
