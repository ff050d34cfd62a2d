package io.katana.reactor.epoll;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the native bytes this backend holds in its own arenas (per-reactor scratch memory, event
 * and iovec arrays), so that a test can check they stay flat however many connections come and go.
 * Connections allocate no native memory of their own; their buffers come from the SPI's pool.
 *
 * <p><b>Threading:</b> safe from any thread.
 */
final class NativeMemoryLedger {
    private static final AtomicLong LIVE_BYTES = new AtomicLong();
    private static final AtomicLong LIVE_ARENAS = new AtomicLong();

    private NativeMemoryLedger() {}

    /** Native bytes allocated from this backend's arenas that are still open. */
    static long liveBytes() {
        return LIVE_BYTES.get();
    }

    /** This backend's arenas still open. */
    static long liveArenas() {
        return LIVE_ARENAS.get();
    }

    /** A shared arena whose allocations are counted until {@link Accounted#close()}. */
    static Accounted openShared() {
        return new Accounted(Arena.ofShared());
    }

    /**
     * An arena with a ledger entry: allocate through it, close it once.
     *
     * <p><b>Threading:</b> allocation and close from any thread, as the underlying shared arena.
     */
    static final class Accounted implements SegmentAllocator, AutoCloseable {
        private final Arena arena;
        private final AtomicLong bytes = new AtomicLong();
        private boolean closed;

        private Accounted(Arena arena) {
            this.arena = arena;
            LIVE_ARENAS.incrementAndGet();
        }

        @Override
        public MemorySegment allocate(long byteSize, long byteAlignment) {
            MemorySegment segment = arena.allocate(byteSize, byteAlignment);
            bytes.addAndGet(byteSize);
            LIVE_BYTES.addAndGet(byteSize);
            return segment;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            arena.close();
            LIVE_BYTES.addAndGet(-bytes.get());
            LIVE_ARENAS.decrementAndGet();
        }
    }
}
