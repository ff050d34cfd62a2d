package io.katana.reactor.epoll.ffi;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * An array of {@code struct epoll_event} that {@code epoll_wait} fills, read back by index.
 *
 * <p><b>Threading:</b> not thread-safe; owned by one reactor thread. The memory belongs to the arena
 * given at construction.
 */
public final class EpollEventArray {
    private final MemorySegment segment;
    private final int capacity;
    private final long stride;
    private final long dataOffset;

    /** Allocates room for {@code capacity} events of the given layout from {@code arena}. */
    public EpollEventArray(SegmentAllocator arena, EpollEventLayout layout, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive: " + capacity);
        this.capacity = capacity;
        this.stride = layout.size();
        this.dataOffset = layout.dataOffset();
        this.segment = arena.allocate(stride * capacity, 8);
    }

    /** How many events one {@code epoll_wait} may return into this array. */
    public int capacity() {
        return capacity;
    }

    /** The {@code events} bit mask of event {@code index}. */
    public int events(int index) {
        return segment.get(JAVA_INT_UNALIGNED, stride * index + EpollEventLayout.EVENTS_OFFSET);
    }

    /** The {@code data} word of event {@code index}, as registered with {@code epoll_ctl}. */
    public long data(int index) {
        return segment.get(JAVA_LONG_UNALIGNED, stride * index + dataOffset);
    }

    MemorySegment segment() {
        return segment;
    }
}
