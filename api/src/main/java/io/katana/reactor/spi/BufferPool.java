package io.katana.reactor.spi;

/**
 * A reactor's stack of reusable off-heap chunks. Chunks beyond the pool's size, and chunks of other
 * sizes, are left to the garbage collector, which frees their native memory.
 *
 * <p><b>Threading:</b> loop only.
 */
public final class BufferPool {
    private final int chunkSize;
    private final IoBuffer[] free;
    private int freeCount;
    private long allocatedChunks;

    public BufferPool(int chunkSize, int maxPooled) {
        this.chunkSize = chunkSize;
        this.free = new IoBuffer[maxPooled];
    }

    /** The size of a standard chunk. */
    public int chunkSize() {
        return chunkSize;
    }

    /** A cleared chunk of {@link #chunkSize()} bytes. */
    public IoBuffer acquire() {
        if (freeCount > 0) {
            IoBuffer chunk = free[--freeCount];
            free[freeCount] = null;
            return chunk;
        }
        allocatedChunks++;
        return new IoBuffer(chunkSize);
    }

    /** A cleared buffer of at least {@code capacity} bytes: a pooled chunk when one is big enough. */
    public IoBuffer acquire(int capacity) {
        if (capacity <= chunkSize) {
            return acquire();
        }
        allocatedChunks++;
        return new IoBuffer(capacity);
    }

    /** Gives a buffer back. The caller must not touch it afterwards. */
    public void release(IoBuffer chunk) {
        chunk.buffer().clear();
        if (chunk.capacity() == chunkSize && freeCount < free.length) {
            free[freeCount++] = chunk;
        }
    }

    /** Chunks waiting in the pool. */
    public int pooled() {
        return freeCount;
    }

    /** Buffers this pool has allocated since it was made. */
    public long allocatedChunks() {
        return allocatedChunks;
    }
}
