package io.katana.reactor.spi;

import java.nio.ByteBuffer;

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
