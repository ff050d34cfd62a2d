package io.katana.reactor.spi.ffm;

import static io.katana.reactor.spi.ffm.CapturedErrno.check;
import static io.katana.reactor.spi.ffm.CapturedErrno.unexpected;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;

/**
 * The file calls behind {@link FfmFileRegion}, the same for every Linux FFM backend: {@code open},
 * {@code statx}, {@code sendfile} and {@code pread}. They return {@code -errno} on failure, so a full
 * socket ({@code -EAGAIN}) costs no exception.
 *
 * <p>The downcall handles are linked by the backend ({@link Functions#link}), as for {@link
 * SocketCalls}.
 *
 * <p><b>Threading:</b> not thread-safe: one instance per thread, with that thread's {@code errno}
 * call state and scratch memory (a file offset, a {@code struct statx}, a path), allocated once; the
 * allocator's memory must outlive it.
 */
public final class FileCalls {
    /** The longest path, in bytes with its NUL, that {@link #openReadOnly} encodes in scratch memory. */
    static final int PATH_SCRATCH = 4096;

    private static final int ENAMETOOLONG = 36;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_TYPE = 0x1;
    private static final int STATX_SIZE = 0x200;
    private static final int STATX_SIZE_BYTES = 256;
    // struct statx is the same on every architecture: stx_mode (u16) at 28, stx_size (u64) at 40.
    private static final long STX_MODE = 28;
    private static final long STX_SIZE = 40;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;

    private final Functions functions;
    private final MemorySegment callState;
    private final MemorySegment fileOffset;
    private final MemorySegment statx;
    private final MemorySegment path;

    /**
     * Makes the calls of one thread.
     *
     * @param functions the backend's linked handles
     * @param allocator where the scratch memory lives; it must stay open while this instance is used
     */
    public FileCalls(Functions functions, SegmentAllocator allocator) {
        this.functions = functions;
        MemorySegment scratch = allocator.allocate(64 + STATX_SIZE_BYTES + PATH_SCRATCH, 16);
        this.callState = scratch.asSlice(0, CapturedErrno.LAYOUT.byteSize());
        this.fileOffset = scratch.asSlice(48, 8);
        this.statx = scratch.asSlice(64, STATX_SIZE_BYTES);
        this.path = scratch.asSlice(64 + STATX_SIZE_BYTES, PATH_SCRATCH);
    }

    /** {@return the handles these calls use, for an instance of another thread} */
    public Functions functions() {
        return functions;
    }

    /**
     * {@code open(path, O_RDONLY | O_CLOEXEC)}.
     *
     * @param name the absolute path; its UTF-8 bytes must fit {@value #PATH_SCRATCH} bytes with the NUL
     * @return the new fd, or {@code -errno} ({@code -ENAMETOOLONG} for a longer name)
     */
    public int openReadOnly(String name) {
        // UTF-8 takes at most 3 bytes per UTF-16 char: only a name that might not fit is measured
        if (name.length() * 3L + 1 > PATH_SCRATCH && name.getBytes(StandardCharsets.UTF_8).length + 1 > PATH_SCRATCH) {
            return -ENAMETOOLONG; // what the kernel says of a path longer than PATH_MAX
        }
        path.setString(0, name);
        try {
            return check((int) functions.open.invokeExact(callState, path.address(), O_RDONLY | O_CLOEXEC, 0), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code statx(fd, "", AT_EMPTY_PATH)}: the size of the regular file {@code fd}, {@code -1} if it is
     * not a regular file (a directory, a device), or {@code -errno - 1} if the call failed.
     *
     * @param fd an open file
     * @return the size, -1, or {@code -errno - 1}
     */
    public long regularFileSize(int fd) {
        path.set(JAVA_BYTE, 0, (byte) 0);
        try {
            int result = (int) functions.statx.invokeExact(callState, fd, path.address(), AT_EMPTY_PATH,
                    STATX_TYPE | STATX_SIZE, statx.address());
            if (result < 0) {
                return -CapturedErrno.errno(callState) - 1L;
            }
        } catch (Throwable t) {
            throw unexpected(t);
        }
        int mode = Short.toUnsignedInt(statx.get(JAVA_SHORT, STX_MODE));
        if ((mode & S_IFMT) != S_IFREG) {
            return -1;
        }
        return statx.get(JAVA_LONG, STX_SIZE);
    }

    /**
     * {@code sendfile(outFd, inFd, &offset, count)} from {@code offset} of the file {@code inFd}, which
     * keeps its own file position.
     *
     * @param outFd the socket
     * @param inFd the file
     * @param offset where in the file to start
     * @param count the most bytes to send
     * @return bytes sent (0 when the file has no byte at {@code offset}), or {@code -errno} ({@code
     *     -EAGAIN} when a non-blocking socket is full)
     */
    public long sendfile(int outFd, int inFd, long offset, long count) {
        fileOffset.set(JAVA_LONG_UNALIGNED, 0, offset);
        try {
            return check((long) functions.sendfile.invokeExact(callState, outFd, inFd, fileOffset.address(), count),
                    callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code pread(fd, address, length, offset)}, which leaves the file's own position alone.
     *
     * @param fd the file
     * @param bufferAddress where the bytes go
     * @param length the most bytes to read
     * @param offset where in the file to start
     * @return bytes read (0 at end of file), or {@code -errno}
     */
    public long pread(int fd, long bufferAddress, long length, long offset) {
        try {
            return check((long) functions.pread.invokeExact(callState, fd, bufferAddress, length, offset), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code close(fd)}; never retried: on Linux the fd is released even when close reports {@code EINTR}.
     *
     * @param fd the file
     * @return 0, or {@code -errno}
     */
    public int close(int fd) {
        try {
            return check((int) functions.close.invokeExact(callState, fd), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * The C library's file functions as downcall handles capturing {@code errno}, linked once by a
     * backend. Immutable; share one instance between threads.
     */
    public static final class Functions {
        private final MethodHandle open;
        private final MethodHandle statx;
        private final MethodHandle sendfile;
        private final MethodHandle pread;
        private final MethodHandle close;

        private Functions(BiFunction<String, FunctionDescriptor, MethodHandle> linker,
                BiFunction<String, FunctionDescriptor, MethodHandle> variadicAfterTwo) {
            open = variadicAfterTwo.apply("open", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
            statx = linker.apply("statx", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG));
            sendfile = linker.apply("sendfile", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
            pread = linker.apply("pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
            close = linker.apply("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        }

        /**
         * Links the functions; the backend does it because linking is restricted. Each function
         * comes with its C name and descriptor (pointers as 64-bit addresses, without the call-state
         * parameter), to be linked with {@link CapturedErrno#OPTION}.
         *
         * @param linker {@code (name, descriptor) -> Linker.downcallHandle(...)}
         * @param variadicAfterTwo the same, with {@code Linker.Option.firstVariadicArg(2)} as well:
         *     for {@code open}, whose mode is variadic in C
         * @return the linked functions
         */
        public static Functions link(BiFunction<String, FunctionDescriptor, MethodHandle> linker,
                BiFunction<String, FunctionDescriptor, MethodHandle> variadicAfterTwo) {
            return new Functions(linker, variadicAfterTwo);
        }
    }
}
