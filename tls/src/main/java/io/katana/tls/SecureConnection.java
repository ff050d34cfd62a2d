package io.katana.tls;

import io.katana.reactor.Connection;
import io.katana.reactor.Reactor;
import io.katana.reactor.spi.ForwardingConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

/**
 * The {@link TlsConnection} a wrapped handler sees: what changes the bytes goes through {@link
 * TlsHandler}, on the reactor thread (calls from elsewhere are handed over, in order); the rest is the
 * TCP connection's.
 *
 * <p><b>Threading:</b> every method from any thread, as {@link Connection}.
 */
final class SecureConnection extends ForwardingConnection implements TlsConnection {
    private static final int FILE_PIECE_BYTES = 64 * 1024;

    private final TlsHandler tls;

    SecureConnection(TlsHandler tls, Connection raw) {
        super(raw);
        this.tls = tls;
    }

    @Override
    public Reactor reactor() {
        return delegate().reactor();
    }

    private boolean onLoop() {
        return delegate().reactor().inEventLoop();
    }

    @Override
    public void write(ByteBuffer src) {
        if (onLoop()) {
            tls.write(src);
        } else {
            ByteBuffer copy = ByteBuffer.allocate(src.remaining()).put(src).flip();
            delegate().reactor().execute(() -> tls.write(copy));
        }
    }

    @Override
    public int write(int maxBytes, Consumer<? super ByteBuffer> encoder) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, got " + maxBytes);
        }
        if (onLoop()) {
            return tls.write(maxBytes, encoder);
        }
        ByteBuffer staging = ByteBuffer.allocate(maxBytes);
        encoder.accept(staging);
        staging.flip();
        int written = staging.remaining();
        write(staging);
        return written;
    }

    /** Encrypted bytes differ per connection, so shared content is encrypted like any other. */
    @Override
    public void writeShared(ByteBuffer src) {
        write(src);
    }

    /**
     * Encrypted bytes cannot go from the page cache to the socket, so the region is read here, 64 KiB
     * at a time, and encrypted like a write: on the reactor thread into the TLS layer's staging buffer
     * (direct, so the file channel fills it and a native engine encrypts it without a copy between). A
     * file that ends early aborts the connection: the peer cannot get the bytes it was promised, and
     * part of them may be queued already.
     */
    @Override
    public void sendFile(Path file, long position, long count) throws IOException {
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("sendFile needs a position and a count of 0 or more, got position "
                    + position + " and count " + count);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (position > size || count > size - position) {
                throw new IOException("cannot send bytes " + position + " to " + (position + count) + " of " + file
                        + ": it holds " + size + " bytes");
            }
            ByteBuffer piece = onLoop() ? tls.staging()
                    : ByteBuffer.allocate((int) Math.min(FILE_PIECE_BYTES, Math.max(1, count)));
            long offset = position;
            while (offset < position + count) {
                piece.clear().limit((int) Math.min(piece.capacity(), position + count - offset));
                while (piece.hasRemaining()) {
                    if (channel.read(piece, offset + piece.position()) < 0) {
                        abort();
                        throw new IOException(file + " ended at byte " + (offset + piece.position()) + " while being sent");
                    }
                }
                offset += piece.flip().remaining();
                write(piece);
            }
        }
    }

    @Override
    public void writeAndFlush(ByteBuffer src) {
        write(src);
        flush();
    }

    @Override
    public void flush() {
        if (onLoop()) {
            delegate().flush();
        } else {
            delegate().reactor().execute(delegate()::flush);
        }
    }

    @Override
    public void shutdownOutput() {
        if (onLoop()) {
            tls.shutdownOutput();
        } else {
            delegate().reactor().execute(tls::shutdownOutput);
        }
    }

    @Override
    public void close() {
        if (onLoop()) {
            tls.close();
        } else {
            delegate().reactor().execute(tls::close);
        }
    }

    @Override
    public void pauseReading() {
        if (onLoop()) {
            tls.pauseReading();
        } else {
            delegate().reactor().execute(tls::pauseReading);
        }
    }

    @Override
    public void resumeReading() {
        if (onLoop()) {
            tls.resumeReading();
        } else {
            delegate().reactor().execute(tls::resumeReading);
        }
    }

    @Override
    public boolean isReadingPaused() {
        return tls.isReadingPaused();
    }

    @Override
    public boolean isInputClosed() {
        return tls.isInputClosed();
    }

    @Override
    public String protocol() {
        return session().getProtocol();
    }

    @Override
    public String cipherSuite() {
        return session().getCipherSuite();
    }

    @Override
    public String applicationProtocol() {
        String protocol = tls.engine().getApplicationProtocol();
        return protocol == null || protocol.isEmpty() ? null : protocol;
    }

    @Override
    public String serverName() {
        if (session() instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }

    @Override
    public boolean resumed() {
        return tls.resumed();
    }

    @Override
    public SSLSession session() {
        return tls.engine().getSession();
    }

    @Override
    public String engineName() {
        return tls.engineName();
    }

    @Override
    public String toString() {
        return "TLS " + delegate();
    }
}
