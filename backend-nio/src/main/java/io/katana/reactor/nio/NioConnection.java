package io.katana.reactor.nio;

import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.WaterMarks;
import io.katana.reactor.spi.AbstractConnection;
import io.katana.reactor.spi.ChannelFileRegion;
import io.katana.reactor.spi.FileRegion;
import io.katana.reactor.spi.OutboundQueue;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection on a non-blocking {@link SocketChannel}. Interest operations are changed only when
 * they differ from what is registered.
 *
 * <p><b>Threading:</b> as {@link AbstractConnection}.
 */
final class NioConnection extends AbstractConnection implements SelectionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(NioConnection.class);

    /**
     * The bytes of a file that leave in the same write as the head before it. A {@code SocketChannel}
     * can neither cork nor send with {@code MSG_MORE}, so a head written alone leaves as a small
     * segment of its own; on loopback that kept the client's receive window near 100 KiB and made it
     * spend about half as much CPU again per byte (docs/BENCHMARKS.md, static files, round five). A full
     * 64 KiB segment of the file after the head restores the pattern of a corked head (a 16 KiB lead,
     * tried earlier, showed no gain). It costs one {@code pread} copy of at most this much per file:
     * it is read only while the socket is not known to be full (see {@link #writeOut}).
     */
    static final int FILE_LEAD = 64 * 1024;

    private final SocketChannel channel;
    private final Runnable onSocketClosed;
    private final SocketAddress local;
    private final SocketAddress remote;
    private SelectionKey key;
    private int interest;

    NioConnection(NioReactor reactor, long id, SocketChannel channel, WaterMarks waterMarks,
            ConnectionHandler handler, Runnable onSocketClosed) {
        super(reactor, id, waterMarks, handler);
        this.channel = channel;
        this.onSocketClosed = onSocketClosed;
        this.local = addressOf(channel, true);
        this.remote = addressOf(channel, false);
    }

    /**
     * Loop only: registers for reading and tells the handler. An outgoing connection may take over
     * {@code existing}, the key its connect attempt used; otherwise it is null.
     */
    void register(SelectionKey existing, boolean outgoing) {
        NioReactor reactor = (NioReactor) loop();
        interest = SelectionKey.OP_READ;
        try {
            if (existing != null) {
                key = existing;
                key.attach(this);
                key.interestOps(interest);
            } else {
                key = channel.register(reactor.selector(), interest, this);
            }
        } catch (ClosedChannelException | RuntimeException e) {
            LOG.debug("registering {} failed", channel, e);
            closeSocket();
            return;
        }
        if (outgoing) {
            openedOutgoing();
        } else {
            opened();
        }
        if (wantsToRead()) {
            readReady(); // data often arrives with the handshake: read it now rather than after a poll
        }
    }

    @Override
    public void ready(int readyOps) {
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            writeReady();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0) {
            readReady();
        }
    }

    @Override
    protected int readInto(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    protected long writeOut(OutboundQueue queue, int chunks) throws IOException {
        NioReactor reactor = (NioReactor) loop();
        // No lead while waiting for writability (a write came up short and the queue has not drained
        // since): it would be read again at every wake-up that does not take the head whole, and the
        // head then mostly joins bytes still queued in the socket rather than leaving as a lone small
        // segment. So a region's lead is read at most once, and no connection keeps a buffer for it.
        ByteBuffer lead = !wantsToWrite() && chunks < queue.chunkCount() && queue.entryIsRegion(chunks)
                ? readLead(queue, chunks, reactor) : null;
        int buffers = lead == null ? chunks : chunks + 1;
        ByteBuffer[] gather = reactor.gatherArray(buffers);
        if (lead != null) {
            gather[chunks] = lead;
        }
        int[] positions = reactor.gatherPositions();
        for (int i = 0; i < chunks; i++) {
            ByteBuffer buffer = queue.chunk(i).buffer();
            gather[i] = buffer;
            positions[i] = buffer.position();
        }
        try {
            return buffers == 1 ? channel.write(gather[0]) : channel.write(gather, 0, buffers);
        } finally {
            if (lead != null) {
                gather[chunks] = null;
            }
            // The channel advanced the chunks; the queue owns the send position, so put it back.
            for (int i = 0; i < chunks; i++) {
                gather[i].position(positions[i]);
                gather[i] = null;
            }
        }
    }

    /**
     * Reads the first bytes of the file region after the queue's first {@code chunks} buffers into the
     * reactor's lead buffer, so that they leave in the same write as those buffers; null when there is
     * nothing to read (the transfer then finds out why).
     */
    private static ByteBuffer readLead(OutboundQueue queue, int chunks, NioReactor reactor) throws IOException {
        FileRegion region = queue.region(chunks);
        ByteBuffer lead = reactor.fileLead();
        int wanted = (int) Math.min(lead.capacity(), region.remaining());
        lead.limit(wanted);
        FileChannel file = ((ChannelFileRegion) region).channel();
        while (lead.hasRemaining()) {
            if (file.read(lead, region.position() + lead.position()) <= 0) {
                break;
            }
        }
        return lead.flip().hasRemaining() ? lead : null;
    }

    @Override
    protected boolean transfersFiles() {
        return true;
    }

    /**
     * {@link FileChannel#transferTo}, which is {@code sendfile(2)} on Linux; repeated after a partial
     * transfer until the socket is full, so that a short result means a full socket. A transfer of
     * nothing is told apart from a full socket by the file's size.
     */
    @Override
    protected long transferFile(FileRegion region, long maxBytes) throws IOException {
        FileChannel file = ((ChannelFileRegion) region).channel();
        long sent = 0;
        while (sent < maxBytes) {
            long n = file.transferTo(region.position() + sent, maxBytes - sent, channel);
            if (n > 0) {
                sent += n;
            } else if (file.size() <= region.position() + sent) {
                throw region.truncated();
            } else {
                return sent;
            }
        }
        return sent;
    }

    @Override
    protected void setReadInterest(boolean on) {
        updateInterest(SelectionKey.OP_READ, on);
    }

    @Override
    protected void setWriteInterest(boolean on) {
        updateInterest(SelectionKey.OP_WRITE, on);
    }

    private void updateInterest(int op, boolean on) {
        int wanted = on ? interest | op : interest & ~op;
        if (wanted != interest && key != null && key.isValid()) {
            interest = wanted;
            key.interestOps(wanted);
        }
    }

    @Override
    protected void shutdownSocketOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    protected void resetOnClose() {
        try {
            channel.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException | RuntimeException e) {
            LOG.debug("SO_LINGER 0 on {} failed; it closes without a reset", channel, e);
        }
    }

    @Override
    protected void closeSocket() {
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing {} failed", channel, e);
        }
        onSocketClosed.run();
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    private static SocketAddress addressOf(SocketChannel channel, boolean local) {
        try {
            return local ? channel.getLocalAddress() : channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }
}
