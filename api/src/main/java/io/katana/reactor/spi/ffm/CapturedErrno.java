package io.katana.reactor.spi.ffm;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.invoke.VarHandle;

/**
 * The {@code errno} of a foreign call, captured by the linker right after the call returns, before
 * the JVM can overwrite it. Link each downcall handle with {@link #OPTION}; pass a call-state segment
 * from {@link #allocate} as the handle's first argument; read the value with {@link #errno}.
 *
 * <p>Nothing here is a restricted method: the restricted step, {@code Linker.downcallHandle}, stays
 * in the backend, whose module is the one that needs {@code --enable-native-access}.
 *
 * <p><b>Threading:</b> stateless; a call-state segment belongs to the thread making the calls.
 */
public final class CapturedErrno {
    /** The linker option that makes a downcall handle capture {@code errno}. */
    public static final Linker.Option OPTION = Linker.Option.captureCallState("errno");

    /** The layout of a call-state segment. */
    public static final MemoryLayout LAYOUT = Linker.Option.captureStateLayout();

    private static final VarHandle ERRNO = LAYOUT.varHandle(groupElement("errno"));

    private CapturedErrno() {}

    /**
     * {@return a call-state segment, to pass as the first argument of every handle linked with {@link #OPTION}}
     *
     * @param allocator where the segment lives; it must outlive the calls made with it
     */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(LAYOUT);
    }

    /**
     * {@return the {@code errno} the most recent call made with {@code callState} captured}
     *
     * @param callState a segment of at least {@link #LAYOUT}'s size
     */
    public static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    /**
     * {@return {@code result} when the call succeeded (not negative), else {@code -errno}}: the
     * convention of a call whose failure is routine, so {@code EAGAIN} costs no exception
     *
     * @param result what the call returned
     * @param callState the segment the call captured {@code errno} into
     */
    public static int check(int result, MemorySegment callState) {
        return result < 0 ? -errno(callState) : result;
    }

    /**
     * {@return {@code result} when the call succeeded (not negative), else {@code -errno}}
     *
     * @param result what the call returned
     * @param callState the segment the call captured {@code errno} into
     */
    public static long check(long result, MemorySegment callState) {
        return result < 0 ? -errno(callState) : result;
    }

    /**
     * What to throw when a downcall handle's {@code invokeExact} threw: a downcall declares no checked
     * exception, so anything else means the linker itself failed. An {@link Error} is rethrown as is.
     *
     * @param thrown what the handle threw
     * @return the exception to throw
     */
    public static RuntimeException unexpected(Throwable thrown) {
        if (thrown instanceof RuntimeException runtime) return runtime;
        if (thrown instanceof Error error) throw error;
        return new IllegalStateException("native call failed unexpectedly", thrown);
    }
}
