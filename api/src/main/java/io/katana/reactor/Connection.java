package io.katana.reactor;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One TCP connection owned by one {@link Reactor}.
 *
 * <p><b>Threading:</b> every method may be called from any thread. Called on the owning reactor's
 * thread it acts at once; called elsewhere it is handed to the reactor and acts there, in the order
 * the calling thread made its calls. Queries ({@link #isOpen()}, {@link #isWritable()}, ...) are
 * safe anywhere and may be a moment stale off the reactor thread.
 *
 * <p><b>Writing:</b> {@link #write} copies the bytes into the reactor's off-heap outbound queue and
 * returns; the caller may reuse its buffer at once. Nothing is sent until {@link #flush}; several
 * writes and one flush make one gathering system call. When the queue grows past the high water mark
 * the connection becomes unwritable and the handler hears {@link
 * ConnectionHandler#onWritabilityChanged}; a well-behaved producer then waits for writability to
 * return.
 *
 * <p><b>Identity:</b> {@link #id()} is unique for the life of the group; it is never reused, even
 * when the operating system reuses the connection's file descriptor.
 */
public interface Connection {

    /** {@return a number unique among the connections of this reactor group, never reused} */
    long id();

    /** {@return the reactor that owns this connection and runs its callbacks} */
    Reactor reactor();

    /** {@return the local address, or null once it can no longer be known} */
    SocketAddress localAddress();

    /** {@return the peer's address, or null once it can no longer be known} */
    SocketAddress remoteAddress();

    /**
     * Queues the remaining bytes of {@code src} for sending and advances its position to its limit.
     * Writing to a closed connection, or after {@link #shutdownOutput()}, discards the bytes.
     *
     * @param src the bytes to send; copied before this returns, so the caller may reuse it at once
     */
    void write(ByteBuffer src);

    /**
     * Queues a copy of {@code bytes}.
     *
     * @param bytes the bytes to send; the array may be reused once this returns
     */
    default void write(byte[] bytes) {
        write(ByteBuffer.wrap(bytes));
    }

    /**
     * Lets {@code encoder} write straight into the outbound queue: no intermediate buffer, so a
     * protocol encodes its message once instead of encoding it and then having it copied. The encoder
     * gets a buffer positioned where the message goes with {@code maxBytes} of room (its limit); it
     * writes with relative puts and leaves the position after the last byte, and everything between is
     * queued, like {@link #write(ByteBuffer)}, for the next {@link #flush()}.
     *
     * <p>The encoder runs before this returns, on the calling thread. On the reactor thread its buffer
     * is a slice of the queue's off-heap chunk: it must not keep the buffer, read or change bytes
     * outside its room, or move the position backwards; an encoder that throws queues nothing. Off the
     * reactor thread it fills a buffer of its own that is handed to the reactor, one copy like {@code
     * write}. After {@link #close()} or {@link #shutdownOutput()} the encoder is not called.
     *
     * @param maxBytes the most bytes the encoder may write; room for a whole chunk or more is allocated
     *     for this write alone, so a typical message should stay within {@link
     *     ReactorConfig#outboundChunkSize()}
     * @param encoder writes the message at the buffer's position
     * @return the bytes queued: what the encoder wrote
     * @throws IllegalArgumentException if {@code maxBytes} is negative
     * @throws IllegalStateException if the encoder moved the position outside its room
     */
    default int write(int maxBytes, Consumer<? super ByteBuffer> encoder) {
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

    /**
     * Queues {@code src}'s remaining bytes by reference, without copying them, and advances its
     * position to its limit: for content sent again and again (a static response, a cached file).
     * The connection holds the buffer until its bytes are sent (or the connection closes), reading
     * them only then, so the caller must not change them meanwhile; a read-only buffer over content
     * that never changes is the intended use. A heap buffer cannot be handed to the socket by
     * reference and is copied, as by {@link #write(ByteBuffer)}; the default copies every buffer.
     *
     * @param src the bytes to send, typically a read-only direct buffer shared by many connections;
     *     only this connection's own view of it is kept, so its position and limit are the caller's
     */
    default void writeShared(ByteBuffer src) {
        write(src);
    }

    /**
     * Queues {@code count} bytes of {@code file}, starting at byte {@code position}, to be sent after
     * everything written before and before everything written after, like a write. The file is opened
     * here, on the calling thread, and from then on belongs to the connection: it is closed once its
     * bytes are sent, or when the connection closes or aborts first, so the caller has nothing to
     * close and may delete or replace the file at once. The queued bytes count towards {@link
     * #pendingOutboundBytes()} and the water marks as written bytes do, and leave with the next {@link
     * #flush()}.
     *
     * <p>The backends of this project send the bytes from the kernel's page cache to the socket
     * without copying them through the Java heap or the queue ({@code sendfile(2)} on epoll-ffm and
     * io_uring, {@link java.nio.channels.FileChannel#transferTo} on nio). A file that shrinks while being sent
     * closes the connection with an {@link IOException} saying so: the peer cannot get the bytes it
     * was promised. After {@link #close()} or {@link #shutdownOutput()} the region is discarded, as
     * writes are.
     *
     * <p>This default, for connections that do not override it, reads the whole region at once and
     * queues it with {@link #write(ByteBuffer)}: correct, but it holds the region in memory.
     *
     * @param file the file to send from
     * @param position the first byte to send, 0 or more
     * @param count the bytes to send, 0 or more; 0 queues nothing
     * @throws IOException if the file cannot be opened or read, or holds fewer than {@code position +
     *     count} bytes; nothing is queued then
     * @throws IllegalArgumentException if {@code position} or {@code count} is negative
     */
    default void sendFile(Path file, long position, long count) throws IOException {
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
            List<ByteBuffer> pieces = new ArrayList<>();
            long offset = position;
            while (offset < position + count) {
                ByteBuffer piece = ByteBuffer.allocate((int) Math.min(64 * 1024, position + count - offset));
                while (piece.hasRemaining()) {
                    int n = channel.read(piece, offset + piece.position());
                    if (n < 0) {
                        throw new IOException(file + " ended at byte " + (offset + piece.position()) + " while being read");
                    }
                }
                offset += piece.flip().remaining();
                pieces.add(piece);
            }
            for (ByteBuffer piece : pieces) {
                write(piece); // only once the whole region was read: a failed read queues nothing
            }
        }
    }

    /** Sends everything queued, as far as the socket accepts it now; the rest goes when it can. */
    void flush();

    /**
     * {@link #write(ByteBuffer)} then {@link #flush()}.
     *
     * @param src the bytes to send; consumed and copied before this returns
     */
    default void writeAndFlush(ByteBuffer src) {
        write(src);
        flush();
    }

    /**
     * {@return whether the outbound queue is below the high water mark (or has drained below the low
     * one)} A producer that sees false should stop writing until {@link
     * ConnectionHandler#onWritabilityChanged} reports true.
     */
    boolean isWritable();

    /**
     * {@return the bytes queued but not yet accepted by the socket, including writes still on their
     * way to the reactor}
     */
    long pendingOutboundBytes();

    /** Stops reading from the socket until {@link #resumeReading()}: the peer is slowed down by TCP. */
    void pauseReading();

    /**
     * Reads again after {@link #pauseReading()}, first presenting any bytes kept from before (left
     * unconsumed by {@link ConnectionHandler#onRead}) with no new input needed. The kept bytes come in
     * a fresh {@code onRead}, never inside the callback that resumed, and always before {@link
     * ConnectionHandler#onInputClosed}, whatever the pauses before and however early the peer's FIN
     * arrived. Resuming when not paused does nothing.
     */
    void resumeReading();

    /** {@return whether reading is paused by {@link #pauseReading()}} */
    boolean isReadingPaused();

    /**
     * {@return whether the peer's end of stream has been reported} True from the moment {@link
     * ConnectionHandler#onInputClosed} is called (so also inside it) and afterwards, even once the
     * connection is closed; false for a connection closed before its input ended.
     */
    boolean isInputClosed();

    /** Sends everything queued, then shuts down the output side (FIN); reading goes on. */
    void shutdownOutput();

    /**
     * Closes gracefully: stops reading, sends everything already queued, then closes. Calling it
     * again, or on a closed connection, does nothing.
     */
    void close();

    /** Closes now, dropping whatever is queued. */
    void abort();

    /** {@return whether the connection is open (not yet closed or aborted)} */
    boolean isOpen();

    /** {@return the object attached with {@link #attach(Object)}, or null} */
    Object attachment();

    /**
     * Attaches an object to this connection, replacing any previous one: typically the protocol state
     * of a handler shared between connections.
     *
     * @param attachment the object to keep, or null to drop the previous one
     */
    void attach(Object attachment);
}
