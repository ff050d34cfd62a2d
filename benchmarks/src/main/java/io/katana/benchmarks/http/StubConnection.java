package io.katana.benchmarks.http;

import io.katana.reactor.Connection;
import io.katana.reactor.Reactor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A connection without a socket: writes are copied into an off-heap buffer, as a backend's outbound
 * queue copies them, and a flush empties it after recording how much was "sent".
 *
 * <p><b>Threading:</b> the JMH thread only.
 */
final class StubConnection implements Connection {

    private static final SocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);
    private static final SocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 40000);

    private final Reactor reactor = new StubReactor();
    private final ByteBuffer outbound = ByteBuffer.allocateDirect(1 << 20);
    private Object attachment;
    long flushedBytes;
    int flushes;

    /** The bytes written since the last flush, for checking what the server produced. */
    ByteBuffer pending() {
        return outbound.duplicate().flip();
    }

    @Override
    public long id() {
        return 1;
    }

    @Override
    public Reactor reactor() {
        return reactor;
    }

    @Override
    public SocketAddress localAddress() {
        return LOCAL;
    }

    @Override
    public SocketAddress remoteAddress() {
        return REMOTE;
    }

    @Override
    public void write(ByteBuffer src) {
        outbound.put(src);
    }

    @Override
    public void flush() {
        flushedBytes += outbound.position();
        flushes++;
        outbound.clear();
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public long pendingOutboundBytes() {
        return outbound.position();
    }

    @Override
    public void pauseReading() {
        throw new IllegalStateException("a synchronous handler never pauses reading");
    }

    @Override
    public void resumeReading() {
        throw new IllegalStateException("a synchronous handler never pauses reading");
    }

    @Override
    public boolean isReadingPaused() {
        return false;
    }

    @Override
    public boolean isInputClosed() {
        return false;
    }

    @Override
    public void shutdownOutput() {
        throw new IllegalStateException("a valid keep-alive request never shuts the output");
    }

    @Override
    public void close() {
        throw new IllegalStateException("a valid keep-alive request never closes the connection");
    }

    @Override
    public void abort() {
        throw new IllegalStateException("a valid keep-alive request never aborts the connection");
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void attach(Object value) {
        attachment = value;
    }
}
