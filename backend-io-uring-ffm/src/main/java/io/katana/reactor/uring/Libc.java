package io.katana.reactor.uring;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.katana.reactor.spi.ffm.CapturedErrno;
import io.katana.reactor.spi.ffm.FileCalls;
import io.katana.reactor.spi.ffm.SocketCalls;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The C library functions this backend calls, as downcall handles built once, each capturing
 * {@code errno} into the caller's call-state segment (its first parameter). Pointers travel as
 * 64-bit addresses. The io_uring calls have no C library wrapper: they go through {@code syscall}
 * with their system call numbers, which x86_64 and aarch64 share.
 *
 * <p>Initialising this class performs restricted FFM operations: callers check that native access
 * is enabled first (see {@link UringAvailability}). Stateless; safe from any thread.
 */
final class Libc {
    private Libc() {}

    static final long SYS_IO_URING_SETUP = 425;
    static final long SYS_IO_URING_ENTER = 426;
    static final long SYS_IO_URING_REGISTER = 427;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();

    /** {@code syscall(number, a, b)}: io_uring_setup(entries, params). */
    static final MethodHandle SYSCALL2 = variadic(FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    /** {@code syscall(number, a, b, c, d)}: io_uring_register(fd, opcode, arg, nr_args). */
    static final MethodHandle SYSCALL4 = variadic(
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    /** {@code syscall(number, a, b, c, d, e, f)}: io_uring_enter(fd, submit, complete, flags, arg, argsz). */
    static final MethodHandle SYSCALL6 = variadic(FunctionDescriptor.of(
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    static final MethodHandle MMAP = call("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    static final MethodHandle MUNMAP = call("munmap", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    static final MethodHandle EVENTFD = call("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    static final MethodHandle WRITE = call("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    static final MethodHandle CLOSE = call("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** The socket set-up functions the FFM backends share, linked here where native access is granted. */
    static final SocketCalls.Functions SOCKETS = SocketCalls.Functions.link(Libc::call);
    /** The file functions the FFM backends share; {@code open}'s mode is variadic in C. */
    static final FileCalls.Functions FILES = FileCalls.Functions.link(Libc::call,
            (name, descriptor) -> LINKER.downcallHandle(LIBC.findOrThrow(name), descriptor, CapturedErrno.OPTION,
                    Linker.Option.firstVariadicArg(2)));
    /** {@code fcntl(fd, cmd, int)}: variadic after its command. */
    static final MethodHandle FCNTL = LINKER.downcallHandle(LIBC.findOrThrow("fcntl"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CapturedErrno.OPTION,
            Linker.Option.firstVariadicArg(2));

    private static MethodHandle call(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LIBC.findOrThrow(name), descriptor, CapturedErrno.OPTION);
    }

    private static MethodHandle variadic(FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LIBC.findOrThrow("syscall"), descriptor,
                CapturedErrno.OPTION, Linker.Option.firstVariadicArg(1));
    }
}
