package io.katana.reactor.spi;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * An off-heap buffer seen both as a direct {@link ByteBuffer} (for {@code java.nio} channels) and as a
 * native {@link MemorySegment} (for foreign calls), the two views made once when it is allocated.
 *
 * <p><b>Threading:</b> loop only. Owned by one reactor's {@link BufferPool}.
 */
public final class IoBuffer {
    private final ByteBuffer buffer;
    private final MemorySegment segment;
    private final boolean shared;

    IoBuffer(int capacity) {
        this.buffer = ByteBuffer.allocateDirect(capacity);
        this.segment = MemorySegment.ofBuffer(buffer);
        this.shared = false;
    }

    /**
     * Wraps a caller's direct buffer by reference, for {@link io.katana.reactor.Connection#writeShared}:
     * its own view (position and limit as {@code direct}'s), never written to, never pooled.
     */
    IoBuffer(ByteBuffer direct) {
        this.buffer = direct.duplicate();
        this.segment = MemorySegment.ofBuffer(direct.duplicate().clear());
        this.shared = true;
    }

    /**
     * {@return whether this wraps a caller's buffer by reference} Such a buffer is only read from:
     * nothing is appended to it and it never enters a pool.
     */
    public boolean isShared() {
        return shared;
    }

    /** {@return the direct buffer; its position and limit are the caller's to manage} */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** {@return the whole buffer as a native segment, independent of the buffer's position and limit} */
    public MemorySegment segment() {
        return segment;
    }

    /**
     * {@return the native address of the byte at {@code buffer().position()}} What a system call
     * through FFM takes as its buffer pointer.
     */
    public long positionAddress() {
        return segment.address() + buffer.position();
    }

    /** {@return the buffer's size in bytes, fixed at allocation} */
    public int capacity() {
        return buffer.capacity();
    }
}
