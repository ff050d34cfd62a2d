package io.katana.reactor.spi;

import io.katana.reactor.Connection;
import io.katana.reactor.Reactor;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link Connection} that passes every call to another one: the base of a decorating backend's
 * connection, which overrides only what it changes. A decorator names its own reactor, so {@link
 * #reactor()} is left to it.
 *
 * <p><b>Threading:</b> as the delegate: every method from any thread.
 */
public abstract class ForwardingConnection implements Connection {
    private final Connection delegate;

    /**
     * Creates a connection that forwards to {@code delegate}.
     *
     * @param delegate the connection every call goes to
     */
    protected ForwardingConnection(Connection delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** {@return the connection every call goes to} */
    protected final Connection delegate() {
        return delegate;
    }

    @Override
    public long id() {
        return delegate.id();
    }

    @Override
    public SocketAddress localAddress() {
        return delegate.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return delegate.remoteAddress();
    }

    @Override
    public void write(ByteBuffer src) {
        delegate.write(src);
    }

    @Override
    public int write(int maxBytes, Consumer<? super ByteBuffer> encoder) {
        return delegate.write(maxBytes, encoder);
    }

    @Override
    public void writeShared(ByteBuffer src) {
        delegate.writeShared(src);
    }

    @Override
    public void sendFile(Path file, long position, long count) throws IOException {
        delegate.sendFile(file, position, count);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public void writeAndFlush(ByteBuffer src) {
        delegate.writeAndFlush(src);
    }

    @Override
    public boolean isWritable() {
        return delegate.isWritable();
    }

    @Override
    public long pendingOutboundBytes() {
        return delegate.pendingOutboundBytes();
    }

    @Override
    public void pauseReading() {
        delegate.pauseReading();
    }

    @Override
    public void resumeReading() {
        delegate.resumeReading();
    }

    @Override
    public boolean isReadingPaused() {
        return delegate.isReadingPaused();
    }

    @Override
    public boolean isInputClosed() {
        return delegate.isInputClosed();
    }

    @Override
    public void shutdownOutput() {
        delegate.shutdownOutput();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void abort() {
        delegate.abort();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public Object attachment() {
        return delegate.attachment();
    }

    @Override
    public void attach(Object attachment) {
        delegate.attach(attachment);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }

    /** {@return the decorator's own reactor, which its handlers see} Every decorator names its own. */
    @Override
    public abstract Reactor reactor();
}
