package io.katana.reactor.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A connection's bytes waiting to be sent: a ring of pooled off-heap chunks, each in read mode
 * (position at the first unsent byte, limit after the last). Writes fill the last chunk before
 * taking a new one, so many small writes become a few chunks and one gathering system call. A
 * {@link FileRegion} may sit between chunks: the bytes before it are sent first, then the file's,
 * then those after it.
 *
 * <p><b>Threading:</b> loop only.
 */
public final class OutboundQueue {
    private Object[] entries = new Object[4]; // IoBuffer or FileRegion
    private int head;
    private int count;
    private int regions;
    private long bytes;

    OutboundQueue() {}

    /** {@return the chunks queued, file regions included} */
    public int chunkCount() {
        return count;
    }

    /**
     * {@return how many of the oldest entries are buffers, before the first file region: the most a
     * gathering write may take}
     */
    public int leadingBuffers() {
        if (regions == 0) {
            return count;
        }
        int n = 0;
        while (n < count && entry(n) instanceof IoBuffer) {
            n++;
        }
        return n;
    }

    /** {@return the oldest entry if it is a file region, else null} */
    public FileRegion headRegion() {
        return count > 0 && entries[head] instanceof FileRegion region ? region : null;
    }

    /** {@return the bytes queued and not yet sent} */
    public long bytes() {
        return bytes;
    }

    /** {@return whether nothing is queued} */
    public boolean isEmpty() {
        return count == 0;
    }

    /**
     * {@return the {@code index}-th chunk from the oldest} Its buffer's position..limit is what remains
     * to send; a backend reads it but must not change it.
     *
     * @param index 0 for the oldest, below {@link #leadingBuffers()}
     * @throws ClassCastException if that entry is a file region
     */
    public IoBuffer chunk(int index) {
        return (IoBuffer) entry(index);
    }

    /**
     * {@return whether the {@code index}-th entry from the oldest is a file region} A backend that
     * writes the buffers before a region can tell the kernel that the region's bytes follow at once.
     *
     * @param index 0 for the oldest, below {@link #chunkCount()}
     */
    public boolean entryIsRegion(int index) {
        return regions > 0 && entry(index) instanceof FileRegion;
    }

    /**
     * {@return the {@code index}-th entry from the oldest, which must be a file region} A backend that
     * cannot hold back the buffers before a region may send the region's first bytes with them.
     *
     * @param index below {@link #chunkCount()}, where {@link #entryIsRegion} is true
     * @throws ClassCastException if that entry is a buffer
     */
    public FileRegion region(int index) {
        return (FileRegion) entry(index);
    }

    private Object entry(int index) {
        return entries[(head + index) & (entries.length - 1)];
    }

    /** The newest entry if it is a buffer that can take more bytes, else null. */
    private IoBuffer appendableTail() {
        if (count == 0 || !(entry(count - 1) instanceof IoBuffer tail) || tail.isShared()) {
            return null;
        }
        return tail;
    }

    /**
     * {@return the bytes in the oldest {@code n} chunks: what a gathering write of them would try to
     * send}
     *
     * @param n chunks counted from the oldest; all of them when {@code n} is at least the count
     */
    public long bytesInFirst(int n) {
        if (n >= count && regions == 0) {
            return bytes;
        }
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += chunk(i).buffer().remaining();
        }
        return sum;
    }

    /** Copies the remaining bytes of {@code src} in, advancing its position to its limit. */
    void append(ByteBuffer src, BufferPool pool) {
        int total = src.remaining();
        while (src.hasRemaining()) {
            IoBuffer tail = appendableTail();
            if (tail == null || tail.buffer().limit() == tail.capacity()) {
                tail = pool.acquire();
                tail.buffer().limit(0);
                push(tail);
            }
            ByteBuffer target = tail.buffer();
            int end = target.limit();
            int n = Math.min(src.remaining(), target.capacity() - end);
            target.limit(end + n);
            target.put(end, src, src.position(), n);
            src.position(src.position() + n);
        }
        bytes += total;
    }

    /**
     * Lets {@code encoder} write up to {@code maxBytes} straight into the tail chunk, or into a fresh
     * one when the tail has less room, and queues what it wrote: no intermediate buffer, no copy.
     *
     * @return the bytes the encoder wrote
     * @throws IllegalStateException if the encoder moved the position outside the room it was given
     *     (nothing is queued then)
     */
    int encode(int maxBytes, Consumer<? super ByteBuffer> encoder, BufferPool pool) {
        IoBuffer tail = appendableTail();
        boolean fresh = false;
        if (tail == null || tail.capacity() - tail.buffer().limit() < maxBytes) {
            tail = pool.acquire(maxBytes);
            tail.buffer().limit(0);
            fresh = true;
        }
        ByteBuffer target = tail.buffer();
        int sendPosition = target.position();
        int start = target.limit();
        int end = -1;
        boolean returned = false;
        target.limit(start + maxBytes).position(start);
        try {
            encoder.accept(target);
            returned = true;
        } finally {
            int position = target.position();
            if (returned && position >= start && position <= start + maxBytes) {
                end = position; // an encoder that threw queues nothing
            }
            target.limit(end < 0 ? start : end).position(sendPosition);
            if (fresh && end <= start) {
                pool.release(tail);
            } else if (fresh) {
                push(tail);
            }
        }
        if (end < 0) {
            throw new IllegalStateException("the encoder moved the buffer's position outside the " + maxBytes
                    + " bytes it was given; nothing was queued");
        }
        bytes += end - start;
        return end - start;
    }

    /** Queues {@code direct}'s remaining bytes by reference, advancing its position to its limit. */
    void appendShared(ByteBuffer direct) {
        int n = direct.remaining();
        if (n == 0) {
            return;
        }
        push(new IoBuffer(direct));
        direct.position(direct.limit());
        bytes += n;
    }

    /** Queues {@code region} after everything queued so far; the queue releases it once sent or cleared. */
    void appendRegion(FileRegion region) {
        push(region);
        regions++;
        bytes += region.remaining();
    }

    /**
     * For a connection that cannot send files directly: reads the next piece of the head region into a
     * fresh chunk placed before it, so it goes out as ordinary bytes. Leaves the queue unchanged when
     * the head is not a region.
     *
     * @throws IOException if the file cannot be read, or ends before the region does
     */
    void stageHeadRegion(BufferPool pool) throws IOException {
        FileRegion region = headRegion();
        if (region == null) {
            return;
        }
        IoBuffer piece = pool.acquire();
        ByteBuffer target = piece.buffer();
        target.clear();
        if (target.remaining() > region.remaining()) {
            target.limit((int) region.remaining());
        }
        int n;
        try {
            n = region.read(target, region.position());
        } catch (IOException | RuntimeException e) {
            pool.release(piece);
            throw e;
        }
        if (n <= 0) {
            pool.release(piece);
            throw region.truncated();
        }
        target.flip();
        region.advance(n);
        if (region.remaining() == 0) {
            entries[head] = piece; // the whole rest of the region is in the piece now
            regions--;
            region.release();
        } else {
            if (count == entries.length) {
                grow();
            }
            head = (head - 1) & (entries.length - 1);
            entries[head] = piece;
            count++;
        }
    }

    /** Drops {@code n} sent bytes from the front, giving emptied chunks back to the pool. */
    void consume(long n, BufferPool pool) {
        bytes -= n;
        while (n > 0) {
            Object first = entries[head];
            if (first instanceof FileRegion region) {
                long remaining = region.remaining();
                if (n < remaining) {
                    region.advance(n);
                    return;
                }
                region.advance(remaining);
                n -= remaining;
                pop(pool);
                continue;
            }
            ByteBuffer buffer = ((IoBuffer) first).buffer();
            int remaining = buffer.remaining();
            if (n < remaining) {
                buffer.position(buffer.position() + (int) n);
                return;
            }
            n -= remaining;
            pop(pool);
        }
        // A fully sent chunk that is also the tail is dropped too: an idle connection holds nothing.
        while (count > 0 && entries[head] instanceof IoBuffer chunk && !chunk.buffer().hasRemaining()) {
            pop(pool);
        }
    }

    /** Gives every chunk back to the pool and releases every file region, dropping what they held. */
    void clear(BufferPool pool) {
        while (count > 0) {
            pop(pool);
        }
        bytes = 0;
    }

    private void push(Object entry) {
        if (count == entries.length) {
            grow();
        }
        entries[(head + count) & (entries.length - 1)] = entry;
        count++;
    }

    private void grow() {
        Object[] larger = new Object[entries.length * 2];
        for (int i = 0; i < count; i++) {
            larger[i] = entry(i);
        }
        entries = larger;
        head = 0;
    }

    private void pop(BufferPool pool) {
        Object first = entries[head];
        entries[head] = null;
        head = (head + 1) & (entries.length - 1);
        count--;
        if (first instanceof FileRegion region) {
            regions--;
            region.release();
        } else {
            pool.release((IoBuffer) first);
        }
    }

    @Override
    public String toString() {
        return "OutboundQueue[" + bytes + " bytes in " + count + " chunks, " + regions + " of them file regions]";
    }
}
