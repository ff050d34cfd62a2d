package io.katana.reactor.epoll;

import io.katana.reactor.epoll.ffi.Syscalls;
import io.katana.reactor.spi.FileRegion;
import io.katana.reactor.spi.FileRegions;
import io.katana.reactor.spi.ffm.Errno;
import io.katana.reactor.spi.ffm.ErrnoException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A file region held as a native file descriptor, for {@code sendfile(2)}: the JDK does not hand out
 * the descriptor behind a {@link java.nio.channels.FileChannel}, so the backend opens the file itself.
 *
 * <p><b>Threading:</b> as {@link FileRegion}: opened on the caller's thread, sent on the loop; its
 * descriptor is closed through the reactor, on whichever thread releases it.
 */
final class EpollFileRegion extends FileRegion {
    private final EpollReactor reactor;
    private final int fd;

    private EpollFileRegion(EpollReactor reactor, Path file, int fd, long position, long count) {
        super(file, position, count);
        this.reactor = reactor;
        this.fd = fd;
    }

    /**
     * Opens {@code file} read-only and close-on-exec, and checks that it is a regular file holding the
     * region. On the loop it uses the reactor's own calls and scratch memory (a file per request costs
     * no arena); on any other thread a short-lived arena for the path and the call state.
     */
    static EpollFileRegion open(EpollReactor reactor, Path file, long position, long count) throws IOException {
        String name = file.toAbsolutePath().toString();
        if (reactor.inEventLoop()) {
            MemorySegment scratch = reactor.fileScratch();
            // UTF-8 takes at most 3 bytes per UTF-16 char; longer names take the arena's way
            if (name.length() * 3L + 1 <= scratch.byteSize() - Syscalls.STAT_BUFFER_SIZE) {
                MemorySegment path = scratch.asSlice(Syscalls.STAT_BUFFER_SIZE);
                path.setString(0, name);
                return open(reactor, reactor.calls(), path, scratch, file, position, count);
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            return open(reactor, new Syscalls(arena, reactor.layout()), arena.allocateFrom(name),
                    arena.allocate(Syscalls.STAT_BUFFER_SIZE, 8), file, position, count);
        }
    }

    private static EpollFileRegion open(EpollReactor reactor, Syscalls calls, MemorySegment path, MemorySegment stat,
            Path file, long position, long count) throws IOException {
        int fd = calls.openReadOnly(path);
        if (fd < 0) {
            throw openFailure(file, -fd);
        }
        try {
            long size = calls.regularFileSize(fd, stat);
            if (size == -1) {
                throw new IOException("cannot send " + file + ": it is not a regular file");
            }
            if (size < -1) {
                throw new ErrnoException("fstat " + file, (int) (-size - 1));
            }
            FileRegions.checkWithin(file, size, position, count);
            return new EpollFileRegion(reactor, file, fd, position, count);
        } catch (IOException | RuntimeException e) {
            calls.close(fd);
            throw e;
        }
    }

    private static IOException openFailure(Path file, int errno) {
        return switch (errno) {
            case Errno.ENOENT -> new NoSuchFileException(file.toString());
            case Errno.EACCES -> new AccessDeniedException(file.toString());
            default -> new ErrnoException("open " + file, errno);
        };
    }

    /**
     * Loop only: sends up to {@code maxBytes} from the region's position, repeating a partial send
     * until the socket is full, so a short result always means a full socket (edge-triggered, only a
     * full socket brings another {@code EPOLLOUT}).
     *
     * @return the bytes sent, 0 when the socket takes none now
     * @throws IOException if the file ended before the region did, or the send failed
     */
    long sendTo(Syscalls calls, int socketFd, long maxBytes) throws IOException {
        long sent = 0;
        while (sent < maxBytes) {
            long n = calls.sendfile(socketFd, fd, position() + sent, maxBytes - sent);
            if (n > 0) {
                sent += n;
            } else if (n == 0) {
                throw truncated(); // the file has no byte at this offset any more
            } else if (n == -Errno.EAGAIN) {
                return sent;
            } else {
                throw Syscalls.failure("sendfile", n);
            }
        }
        return sent;
    }

    @Override
    protected int read(ByteBuffer dst, long offset) throws IOException {
        long address = MemorySegment.ofBuffer(dst).address();
        long n = reactor.calls().pread(fd, address, dst.remaining(), offset);
        if (n < 0) {
            throw Syscalls.failure("pread " + file(), n);
        }
        if (n == 0) {
            return -1;
        }
        dst.position(dst.position() + (int) n);
        return (int) n;
    }

    @Override
    protected void closeFile() {
        reactor.closeDescriptor(fd);
    }
}
