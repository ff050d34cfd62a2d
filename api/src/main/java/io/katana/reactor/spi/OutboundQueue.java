package io.katana.reactor.spi;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A connection's bytes waiting to be sent: a ring of pooled off-heap chunks, each in read mode
 * (position at the first unsent byte, limit after the last). Writes fill the last chunk before
 * taking a new one, so many small writes become a few chunks and one gathering system call.
 *
 * <p><b>Threading:</b> loop only.
 */
public final class OutboundQueue {
    private IoBuffer[] chunks = new IoBuffer[4];
    private int head;
    private int count;
    private long bytes;

    OutboundQueue() {}

    /** {@return the chunks queued} */
    public int chunkCount() {
        return count;
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
     * @param index 0 for the oldest, below {@link #chunkCount()}
     */
    public IoBuffer chunk(int index) {
        return chunks[(head + index) & (chunks.length - 1)];
    }

    /**
     * {@return the bytes in the oldest {@code n} chunks: what a gathering write of them would try to
     * send}
     *
     * @param n chunks counted from the oldest; all of them when {@code n} is at least the count
     */
    public long bytesInFirst(int n) {
        if (n >= count) {
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
            IoBuffer tail = count == 0 ? null : chunk(count - 1);
            if (tail == null || tail.isShared() || tail.buffer().limit() == tail.capacity()) {
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
        IoBuffer tail = count == 0 ? null : chunk(count - 1);
        boolean fresh = false;
        if (tail == null || tail.isShared() || tail.capacity() - tail.buffer().limit() < maxBytes) {
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

    /** Drops {@code n} sent bytes from the front, giving emptied chunks back to the pool. */
    void consume(long n, BufferPool pool) {
        bytes -= n;
        while (n > 0) {
            IoBuffer first = chunks[head];
            ByteBuffer buffer = first.buffer();
            int remaining = buffer.remaining();
            if (n < remaining) {
                buffer.position(buffer.position() + (int) n);
                return;
            }
            n -= remaining;
            pop(pool);
        }
        // A fully sent chunk that is also the tail is dropped too: an idle connection holds nothing.
        while (count > 0 && !chunks[head].buffer().hasRemaining()) {
            pop(pool);
        }
    }

    /** Gives every chunk back to the pool, dropping what they held. */
    void clear(BufferPool pool) {
        while (count > 0) {
            pop(pool);
        }
        bytes = 0;
    }

    private void push(IoBuffer chunk) {
        if (count == chunks.length) {
            IoBuffer[] larger = new IoBuffer[chunks.length * 2];
            for (int i = 0; i < count; i++) {
                larger[i] = chunk(i);
            }
            chunks = larger;
            head = 0;
        }
        chunks[(head + count) & (chunks.length - 1)] = chunk;
        count++;
    }

    private void pop(BufferPool pool) {
        IoBuffer first = chunks[head];
        chunks[head] = null;
        head = (head + 1) & (chunks.length - 1);
        count--;
        pool.release(first);
    }

    @Override
    public String toString() {
        return "OutboundQueue[" + bytes + " bytes in " + count + " chunks]";
    }
}
