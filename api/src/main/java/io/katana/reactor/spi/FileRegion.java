package io.katana.reactor.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A part of an open file queued on a connection by {@link io.katana.reactor.Connection#sendFile}: the
 * file, the next byte to send and how many remain. It sits in the {@link OutboundQueue} between the
 * buffers written before and after it, and the connection releases the file once the region is sent,
 * dropped by a close or abort, or refused.
 *
 * <p>A backend that sends files straight from the kernel's page cache opens its own kind of region
 * ({@link AbstractConnection#openFile}) and sends it in {@link AbstractConnection#transferFile}; the
 * others get a {@link ChannelFileRegion} that the connection reads into its queue piece by piece.
 *
 * <p><b>Threading:</b> made on the thread that called {@code sendFile}, then loop only; {@link
 * #release()} may run on either, once.
 */
public abstract class FileRegion {
    private final Path file;
    private final long end;
    private long position;
    private boolean released;

    /**
     * Starts a region; the subclass holds the open file.
     *
     * @param file the file, for messages
     * @param position the first byte to send
     * @param count how many bytes to send, at least 1
     */
    protected FileRegion(Path file, long position, long count) {
        this.file = Objects.requireNonNull(file, "file");
        if (position < 0 || count < 1) {
            throw new IllegalArgumentException("a queued region needs position >= 0 and count >= 1, got position "
                    + position + " and count " + count);
        }
        this.position = position;
        this.end = position + count;
    }

    /** {@return the file this region belongs to} */
    public final Path file() {
        return file;
    }

    /** {@return the offset in the file of the next byte to send} */
    public final long position() {
        return position;
    }

    /** {@return the bytes still to send} */
    public final long remaining() {
        return end - position;
    }

    /** Records {@code n} more bytes sent. */
    final void advance(long n) {
        position += n;
    }

    /**
     * Loop only: reads file bytes from {@code offset} into {@code dst} from its position up to its
     * limit, without moving any file position; for connections that cannot send the file directly.
     *
     * @param dst where the bytes go; its position is advanced past them
     * @param offset the offset in the file of the first byte to read
     * @return the bytes read, or -1 at the end of the file
     * @throws IOException if the file cannot be read
     */
    protected abstract int read(ByteBuffer dst, long offset) throws IOException;

    /** Closes the file. Called exactly once, by {@link #release()}; must not throw. */
    protected abstract void closeFile();

    /** Closes the file unless already done. Safe to call more than once. */
    public final void release() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        closeFile();
    }

    /**
     * {@return the failure to report when the file ends before the region does: the file shrank after
     * the region was queued, so the peer cannot get the bytes it was promised}
     */
    public final IOException truncated() {
        return new IOException(file + " ended at byte " + position + ", " + remaining()
                + " bytes before the end of the region queued to send (the file was truncated while being sent); "
                + "the connection is closed because the peer cannot get the bytes it was promised");
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + file + " @" + position + ", " + remaining() + " bytes left]";
    }
}
