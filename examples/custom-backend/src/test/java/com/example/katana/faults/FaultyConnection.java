package com.example.katana.faults;

import io.katana.reactor.Connection;
import io.katana.reactor.Reactor;
import io.katana.reactor.spi.ForwardingConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A delegate's connection that names the faulty reactor as its own and, under {@link
 * Fault#ABORT_CLOSES_WITHOUT_RESET}, keeps writes until flush so that its abort can drop them and
 * close gracefully; under {@link Fault#SEND_FILE_IGNORES_POSITION} it sends file regions from byte 0.
 * It also tells its {@link FaultyHandler} of pauses, resumes and output shutdowns.
 *
 * <p><b>Threading:</b> as the delegate: every method from any thread.
 */
final class FaultyConnection extends ForwardingConnection {
    private final Reactor reactor;
    private final Fault fault;
    private final FaultyHandler handler;
    private final List<ByteBuffer> unflushed = new ArrayList<>();
    private volatile boolean paused;
    private volatile boolean outputShut;

    FaultyConnection(Connection delegate, Reactor reactor, Fault fault, FaultyHandler handler) {
        super(delegate);
        this.reactor = reactor;
        this.fault = fault;
        this.handler = handler;
    }

    boolean pausedByApplication() {
        return paused;
    }

    boolean outputShutByApplication() {
        return outputShut;
    }

    private boolean holdsWrites() {
        return fault == Fault.ABORT_CLOSES_WITHOUT_RESET;
    }

    /** ABORT_CLOSES_WITHOUT_RESET: hands the writes kept until now to the delegate. */
    private void release() {
        List<ByteBuffer> pending;
        synchronized (unflushed) {
            pending = List.copyOf(unflushed);
            unflushed.clear();
        }
        for (ByteBuffer buffer : pending) {
            delegate().write(buffer);
        }
    }

    @Override
    public Reactor reactor() {
        return reactor;
    }

    @Override
    public void write(ByteBuffer src) {
        if (holdsWrites()) {
            ByteBuffer copy = ByteBuffer.allocate(src.remaining()).put(src).flip();
            synchronized (unflushed) {
                unflushed.add(copy);
            }
            return;
        }
        delegate().write(src);
    }

    /**
     * As {@link Connection}'s default, through {@link #write(ByteBuffer)}, so that writes held under
     * the abort fault stay in order.
     */
    @Override
    public int write(int maxBytes, Consumer<? super ByteBuffer> encoder) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, got " + maxBytes);
        }
        ByteBuffer staging = ByteBuffer.allocate(maxBytes);
        encoder.accept(staging);
        staging.flip();
        int n = staging.remaining();
        write(staging);
        return n;
    }

    /** Through {@link #write(ByteBuffer)}, as {@link #write(int, Consumer)}. */
    @Override
    public void writeShared(ByteBuffer src) {
        write(src);
    }

    /**
     * Under {@link Fault#ABORT_CLOSES_WITHOUT_RESET}, read into held writes so that the region keeps its
     * place among them; otherwise the delegate's own (zero-copy) path.
     */
    @Override
    public void sendFile(Path file, long position, long count) throws IOException {
        if (fault == Fault.SEND_FILE_IGNORES_POSITION) {
            delegate().sendFile(file, 0, count);
            return;
        }
        if (!holdsWrites()) {
            delegate().sendFile(file, position, count);
            return;
        }
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("negative position or count: " + position + ", " + count);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (!Files.isRegularFile(file) || position + count > channel.size()) {
                throw new IOException("cannot send bytes " + position + " to " + (position + count) + " of " + file);
            }
            ByteBuffer region = ByteBuffer.allocate(Math.toIntExact(count));
            while (region.hasRemaining() && channel.read(region, position + region.position()) >= 0) {
                // reads until the region is whole
            }
            write(region.flip());
        }
    }

    @Override
    public void flush() {
        if (holdsWrites()) {
            release();
        }
        delegate().flush();
    }

    @Override
    public void writeAndFlush(ByteBuffer src) {
        write(src);
        flush();
    }

    @Override
    public long pendingOutboundBytes() {
        long kept = 0;
        synchronized (unflushed) {
            for (ByteBuffer buffer : unflushed) {
                kept += buffer.remaining();
            }
        }
        return delegate().pendingOutboundBytes() + kept;
    }

    @Override
    public void pauseReading() {
        paused = true;
        delegate().pauseReading();
    }

    @Override
    public void resumeReading() {
        paused = false;
        handler.resuming();
        delegate().resumeReading();
    }

    @Override
    public void shutdownOutput() {
        if (holdsWrites()) {
            release();
        }
        outputShut = true;
        delegate().shutdownOutput();
        handler.outputShut();
    }

    @Override
    public void close() {
        if (holdsWrites()) {
            release();
        }
        delegate().close();
    }

    @Override
    public void abort() {
        if (holdsWrites()) {
            synchronized (unflushed) {
                unflushed.clear(); // what was queued is dropped, as abort promises...
            }
            delegate().close(); // ...but the close is a plain one: FIN, not a reset
            return;
        }
        delegate().abort();
    }
}
