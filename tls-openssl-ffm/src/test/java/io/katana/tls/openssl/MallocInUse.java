package io.katana.tls.openssl;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Bytes the C heap has handed out and not taken back, from glibc's {@code mallinfo2()}: {@code
 * uordblks} (in use from the arenas, all of them) plus {@code hblkhd} (in use through mmap). OpenSSL
 * allocates with {@code malloc}, so a leaked {@code SSL} or certificate shows here; the JVM's own
 * {@code malloc} use (the JIT, mostly) settles after a warm-up.
 */
final class MallocInUse {
    private static final MemoryLayout MALLINFO2 = MemoryLayout.structLayout(
            JAVA_LONG.withName("arena"), JAVA_LONG.withName("ordblks"), JAVA_LONG.withName("smblks"),
            JAVA_LONG.withName("hblks"), JAVA_LONG.withName("hblkhd"), JAVA_LONG.withName("usmblks"),
            JAVA_LONG.withName("fsmblks"), JAVA_LONG.withName("uordblks"), JAVA_LONG.withName("fordblks"),
            JAVA_LONG.withName("keepcost"));
    private static final MethodHandle MALLINFO2_CALL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("mallinfo2").orElseThrow(() ->
                    new UnsupportedOperationException("this C library has no mallinfo2 (glibc 2.33 or newer has)")),
            FunctionDescriptor.of(MALLINFO2));

    private MallocInUse() {}

    static boolean supported() {
        return Linker.nativeLinker().defaultLookup().find("mallinfo2").isPresent();
    }

    /**
     * {@return the bytes in use once the garbage is gone}: direct buffers the JVM made with {@code
     * malloc} (reactors' chunks, say) are freed only after a collection, which would otherwise make the
     * figure depend on when the last one ran.
     */
    static long settledBytes() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(200); // the cleaners free the direct buffers collected
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return bytes();
    }

    static long bytes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) MALLINFO2_CALL.invokeExact((java.lang.foreign.SegmentAllocator) arena);
            return info.get(JAVA_LONG, 7 * 8) + info.get(JAVA_LONG, 4 * 8);
        } catch (Throwable t) {
            throw new IllegalStateException("mallinfo2 failed", t);
        }
    }
}
