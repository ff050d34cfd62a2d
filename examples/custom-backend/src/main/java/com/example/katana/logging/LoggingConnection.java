package com.example.katana.logging;

import io.katana.reactor.Connection;
import io.katana.reactor.Reactor;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A delegate's connection that names the decorating reactor as its own.
 *
 * <p><b>Threading:</b> as the delegate: every method from any thread.
 */
final class LoggingConnection implements Connection {
    private final Connection delegate;
    private final Reactor reactor;

    LoggingConnection(Connection delegate, Reactor reactor) {
        this.delegate = delegate;
        this.reactor = reactor;
    }

    @Override
    public long id() {
        return delegate.id();
    }

    @Override
    public Reactor reactor() {
        return reactor;
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
    public int write(int maxBytes, java.util.function.Consumer<? super ByteBuffer> encoder) {
        return delegate.write(maxBytes, encoder);
    }

    @Override
    public void writeShared(ByteBuffer src) {
        delegate.writeShared(src);
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
}
