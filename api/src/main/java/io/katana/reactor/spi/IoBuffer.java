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

    IoBuffer(int capacity) {
        this.buffer = ByteBuffer.allocateDirect(capacity);
        this.segment = MemorySegment.ofBuffer(buffer);
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
