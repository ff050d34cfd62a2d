package io.katana.reactor.epoll.ffi;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * An array of {@code struct iovec} ({@code void *iov_base; size_t iov_len;}, 16 bytes on LP64) for
 * one gathering {@code writev}.
 *
 * <p><b>Threading:</b> not thread-safe; owned by one reactor thread and refilled before each call.
 */
public final class IovecArray {
    private static final long IOVEC_SIZE = 16;

    private final MemorySegment segment;
    private final int capacity;

    /** Allocates {@code capacity} entries (at most {@link LinuxConstants#IOV_MAX}) from {@code arena}. */
    public IovecArray(SegmentAllocator arena, int capacity) {
        if (capacity < 1 || capacity > LinuxConstants.IOV_MAX) {
            throw new IllegalArgumentException("iovec capacity must be in [1, IOV_MAX], got " + capacity);
        }
        this.capacity = capacity;
        this.segment = arena.allocate(IOVEC_SIZE * capacity, 8);
    }

    /** How many entries one call can carry. */
    public int capacity() {
        return capacity;
    }

    /** Sets entry {@code index} to {@code length} bytes at native address {@code address}. */
    public void set(int index, long address, long length) {
        long offset = IOVEC_SIZE * index;
        segment.set(JAVA_LONG, offset, address);
        segment.set(JAVA_LONG, offset + 8, length);
    }

    MemorySegment segment() {
        return segment;
    }
}
