package io.katana.reactor.spi.ffm;

import io.katana.reactor.spi.FileRegion;
import io.katana.reactor.spi.FileRegions;
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
 * Shared by the FFM backends, which differ only in how they wait for a full socket.
 *
 * <p><b>Threading:</b> as {@link FileRegion}: opened on the caller's thread, sent on the loop; its
 * descriptor is closed through the host, on whichever thread releases it.
 */
public final class FfmFileRegion extends FileRegion {
    private final FileHost host;
    private final int fd;

    private FfmFileRegion(FileHost host, Path file, int fd, long position, long count) {
        super(file, position, count);
        this.host = host;
        this.fd = fd;
    }

    /**
     * Opens {@code file} read-only and close-on-exec, and checks that it is a regular file holding the
     * region. On the loop it uses the host's calls and scratch memory (a file per request costs no
     * arena); on any other thread a short-lived arena for the call state.
     *
     * @param host the reactor of the connection that sends the region
     * @param file the file
     * @param position the first byte to send
     * @param count the bytes to send, at least 1
     * @return the open region
     * @throws IOException if the file cannot be opened, is not a regular file or is too short
     */
    public static FfmFileRegion open(FileHost host, Path file, long position, long count) throws IOException {
        String name = file.toAbsolutePath().toString();
        if (host.inEventLoop()) {
            return open(host, host.fileCalls(), name, file, position, count);
        }
        try (Arena arena = Arena.ofConfined()) {
            return open(host, new FileCalls(host.fileFunctions(), arena), name, file, position, count);
        }
    }

    private static FfmFileRegion open(FileHost host, FileCalls calls, String name, Path file, long position, long count)
            throws IOException {
        int fd = calls.openReadOnly(name);
        if (fd < 0) {
            throw openFailure(file, -fd);
        }
        try {
            long size = calls.regularFileSize(fd);
            if (size == -1) {
                throw new IOException("cannot send " + file + ": it is not a regular file");
            }
            if (size < -1) {
                throw new ErrnoException("statx " + file, (int) (-size - 1));
            }
            FileRegions.checkWithin(file, size, position, count);
            return new FfmFileRegion(host, file, fd, position, count);
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
     * Loop only: sends up to {@code maxBytes} from the region's position to the non-blocking socket
     * {@code socketFd}, repeating a partial send until the socket is full, so a short result always
     * means a full socket (an edge-triggered poller, or a one-shot poll, is then sure to hear of room).
     *
     * @param socketFd the connection's socket, non-blocking for the call
     * @param maxBytes the most bytes to send
     * @return the bytes sent, 0 when the socket takes none now
     * @throws IOException if the file ended before the region did, or the send failed
     */
    public long sendTo(int socketFd, long maxBytes) throws IOException {
        FileCalls calls = host.fileCalls();
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
                throw new ErrnoException("sendfile", (int) -n);
            }
        }
        return sent;
    }

    @Override
    protected int read(ByteBuffer dst, long offset) throws IOException {
        long address = MemorySegment.ofBuffer(dst).address();
        long n = host.fileCalls().pread(fd, address, dst.remaining(), offset);
        if (n < 0) {
            throw new ErrnoException("pread " + file(), (int) -n);
        }
        if (n == 0) {
            return -1;
        }
        dst.position(dst.position() + (int) n);
        return (int) n;
    }

    @Override
    protected void closeFile() {
        host.closeDescriptor(fd);
    }
}
