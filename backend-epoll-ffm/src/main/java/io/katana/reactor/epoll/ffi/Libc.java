package io.katana.reactor.epoll.ffi;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.katana.reactor.spi.ffm.CapturedErrno;
import io.katana.reactor.spi.ffm.FileCalls;
import io.katana.reactor.spi.ffm.SocketCalls;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The C library functions the backend calls, as downcall handles built once when this class is
 * initialised. Every handle captures {@code errno}, so its first parameter is the caller's call-state
 * segment; {@link Syscalls} supplies it and wraps the handles in typed methods.
 *
 * <p>Pointers are passed as 64-bit addresses ({@code long}) rather than {@code MemorySegment}s: on
 * the LP64 ABIs this backend supports (x86_64, aarch64) a pointer and a 64-bit integer travel in the
 * same register, and a raw address lets the reactor point into the middle of its own buffers without
 * making a slice object per call. The segments behind those addresses are owned by the caller and
 * outlive every call made with them.
 *
 * <p>Initialising this class performs restricted FFM operations: callers check that native access is
 * enabled first (see {@code EpollAvailability}). Stateless once initialised; safe from any thread.
 */
final class Libc {
    private Libc() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = CapturedErrno.OPTION;

    /**
     * Whether the short, never-blocking calls on the hot path (read, write, send, writev, epoll_ctl)
     * are linked as critical, skipping the thread-state transition around the call. Measured with
     * {@code CriticalCallBenchmark} (test sources) on this project's 2-core VM: an empty eventfd read
     * took 462 ns plain against 458 ns critical, an eventfd write 650 against 642, an epoll_ctl MOD
     * 428 against 425; the difference (at most 1-2 %) is below the run-to-run noise (about 6 %),
     * because the kernel entry dominates. A critical call also holds off safepoints for its duration,
     * so it stays off: it does not pay here. See docs/BENCHMARKS.md, "Syscall budget (epoll-ffm)".
     */
    static final boolean CRITICAL_SHORT_CALLS = false;

    /** The layout of the call-state segment every handle writes {@code errno} into. */
    static final MemoryLayout CALL_STATE_LAYOUT = CapturedErrno.LAYOUT;

    static final MethodHandle EPOLL_CREATE1 = blocking("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    static final MethodHandle EPOLL_CTL =
            shortCall("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    static final MethodHandle EPOLL_WAIT =
            blocking("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
    static final MethodHandle EVENTFD = blocking("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    static final MethodHandle READ = shortCall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    static final MethodHandle RECV =
            shortCall("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    static final MethodHandle WRITE = shortCall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    static final MethodHandle SEND =
            shortCall("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    static final MethodHandle WRITEV = shortCall("writev", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    static final MethodHandle ACCEPT4 =
            blocking("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    static final MethodHandle CLOSE = blocking("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** The socket set-up functions the FFM backends share, linked here where native access is granted. */
    static final SocketCalls.Functions SOCKETS = SocketCalls.Functions.link(Libc::blocking);
    /**
     * The file functions the FFM backends share ({@code sendfile} may read the file from disk, so none
     * is a short call); {@code open}'s mode is variadic in C.
     */
    static final FileCalls.Functions FILES = FileCalls.Functions.link(Libc::blocking,
            (name, descriptor) -> LINKER.downcallHandle(LIBC.findOrThrow(name), descriptor, ERRNO,
                    Linker.Option.firstVariadicArg(2)));

    /** A call that may block or take long: linked with the usual thread-state transition. */
    private static MethodHandle blocking(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LIBC.findOrThrow(name), descriptor, ERRNO);
    }

    /** A short call on a non-blocking fd: linked critical when that was measured to pay. */
    private static MethodHandle shortCall(String name, FunctionDescriptor descriptor) {
        return CRITICAL_SHORT_CALLS
                ? LINKER.downcallHandle(LIBC.findOrThrow(name), descriptor, ERRNO, Linker.Option.critical(false))
                : blocking(name, descriptor);
    }
}
