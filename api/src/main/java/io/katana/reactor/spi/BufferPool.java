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

    /**
     * Creates an empty pool; chunks are allocated on demand.
     *
     * @param chunkSize bytes of a standard chunk
     * @param maxPooled free chunks kept for reuse; more released chunks are left to the collector
     */
    public BufferPool(int chunkSize, int maxPooled) {
        this.chunkSize = chunkSize;
        this.free = new IoBuffer[maxPooled];
    }

    /** {@return the size of a standard chunk} */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * {@return a cleared chunk of {@link #chunkSize()} bytes} Pooled when one is free, otherwise newly
     * allocated.
     */
    public IoBuffer acquire() {
        if (freeCount > 0) {
            IoBuffer chunk = free[--freeCount];
            free[freeCount] = null;
            return chunk;
        }
        allocatedChunks++;
        return new IoBuffer(chunkSize);
    }

    /**
     * {@return a cleared buffer of at least {@code capacity} bytes: a pooled chunk when one is big
     * enough} A larger buffer is allocated for the caller alone and is not pooled on release.
     *
     * @param capacity the bytes needed
     */
    public IoBuffer acquire(int capacity) {
        if (capacity <= chunkSize) {
            return acquire();
        }
        allocatedChunks++;
        return new IoBuffer(capacity);
    }

    /**
     * Gives a buffer back. The caller must not touch it afterwards.
     *
     * @param chunk a buffer from this pool's {@code acquire}
     */
    public void release(IoBuffer chunk) {
        if (chunk.isShared()) {
            return; // the caller's buffer, merely referenced: never reused
        }
        chunk.buffer().clear();
        if (chunk.capacity() == chunkSize && freeCount < free.length) {
            free[freeCount++] = chunk;
        }
    }

    /** {@return the chunks waiting in the pool} */
    public int pooled() {
        return freeCount;
    }

    /**
     * {@return the buffers this pool has allocated since it was made} With {@link #pooled()}, shows
     * whether the pool is large enough: a count that keeps growing means churn.
     */
    public long allocatedChunks() {
        return allocatedChunks;
    }
}
