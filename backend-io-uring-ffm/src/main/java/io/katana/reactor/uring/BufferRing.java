package io.katana.reactor.uring;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * A provided-buffer ring ({@code IORING_REGISTER_PBUF_RING}): a fixed set of equal buffers the
 * kernel picks from for every multishot receive of its reactor, so read memory grows with the ring,
 * never with the number of connections. A buffer the kernel filled is identified by its id in the
 * completion, read by the connection and {@link #recycle}d at once; the ring's tail is published
 * with release ordering, as the kernel reads it with acquire.
 *
 * <p><b>Threading:</b> loop only.
 */
final class BufferRing {
    private static final int ENTRY_SIZE = 16;
    private static final long TAIL_OFFSET = 14;
    private static final VarHandle SHORT = JAVA_SHORT.varHandle();

    private final MemorySegment entries;
    private final MemorySegment data;
    private final ByteBuffer[] views;
    private final int count;
    private final int bufferSize;
    private final int group;
    private int tail;

    /**
     * Allocates {@code count} buffers of {@code bufferSize} bytes and registers them as buffer group
     * {@code group} of {@code ring}.
     *
     * @param count a power of two, at most 32768
     */
    BufferRing(IoUring ring, SegmentAllocator allocator, int count, int bufferSize, int group)
            throws io.katana.reactor.spi.ffm.ErrnoException {
        this.count = count;
        this.bufferSize = bufferSize;
        this.group = group;
        this.entries = allocator.allocate((long) ENTRY_SIZE * count, 4096);
        this.data = allocator.allocate((long) bufferSize * count, 4096);
        this.views = new ByteBuffer[count];
        for (int id = 0; id < count; id++) {
            views[id] = data.asSlice((long) id * bufferSize, bufferSize).asByteBuffer();
        }
        MemorySegment registration = allocator.allocate(40, 8);
        registration.set(JAVA_LONG, 0, entries.address());
        registration.set(JAVA_INT, 8, count);
        registration.set(JAVA_SHORT, 12, (short) group);
        int result = ring.register(IoUring.REGISTER_PBUF_RING, registration.address(), 1);
        if (result < 0) {
            throw SystemCalls.failure("io_uring_register PBUF_RING", result);
        }
        for (int id = 0; id < count; id++) {
            put(id);
        }
        SHORT.setRelease(entries, TAIL_OFFSET, (short) tail);
    }

    int group() {
        return group;
    }

    int bufferSize() {
        return bufferSize;
    }

    /** The buffer with id {@code id}, as the kernel and the previous user left its position and limit. */
    ByteBuffer view(int id) {
        return views[id];
    }

    /** The buffer with id {@code id}, positioned at 0 with its limit at {@code length}. */
    ByteBuffer filled(int id, int length) {
        ByteBuffer view = views[id];
        view.limit(length).position(0);
        return view;
    }

    /** Gives buffer {@code id} back to the kernel. */
    void recycle(int id) {
        put(id);
        SHORT.setRelease(entries, TAIL_OFFSET, (short) tail);
    }

    private void put(int id) {
        long entry = (long) (tail & (count - 1)) * ENTRY_SIZE;
        entries.set(JAVA_LONG, entry, data.address() + (long) id * bufferSize);
        entries.set(JAVA_INT, entry + 8, bufferSize);
        entries.set(JAVA_SHORT, entry + 12, (short) id);
        tail++;
    }
}
