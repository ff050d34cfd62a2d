package io.katana.conformance;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Reads a TCP socket's options from the kernel, whoever opened it in this process: the socket is
 * found by its pair of ports in {@code /proc/net/tcp} and {@code /proc/net/tcp6}, its descriptor by
 * inode in {@code /proc/self/fd}, and the option with {@code getsockopt(2)} through the Foreign
 * Function API. So a check learns what a backend really set, not what it says it set, without any
 * accessor on {@link io.katana.reactor.Connection}.
 *
 * <p>Linux only ({@link #unsupportedReason()} says why not elsewhere). The descriptor is read while
 * the socket is open; a check keeps both ends open while it probes.
 *
 * <p>Threading: stateless after class initialisation; any thread.
 */
final class SocketProbe {

    /** {@code SOL_SOCKET} on Linux. */
    static final int SOL_SOCKET = 1;
    /** {@code SO_REUSEADDR} on Linux. */
    static final int SO_REUSEADDR = 2;
    /** {@code SO_SNDBUF} on Linux. */
    static final int SO_SNDBUF = 7;
    /** {@code SO_RCVBUF} on Linux. */
    static final int SO_RCVBUF = 8;
    /** {@code IPPROTO_TCP}. */
    static final int IPPROTO_TCP = 6;
    /** {@code TCP_NODELAY}. */
    static final int TCP_NODELAY = 1;

    private static final List<Path> TCP_TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final String UNSUPPORTED;
    private static final MethodHandle GETSOCKOPT;

    static {
        String reason = null;
        MethodHandle getsockopt = null;
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            reason = "reading a socket's options from the kernel is written for Linux (/proc/net/tcp, getsockopt)";
        } else if (!Files.isReadable(TCP_TABLES.get(0)) || !FileDescriptors.supported()) {
            reason = "/proc/net/tcp or /proc/self/fd is not readable here";
        } else {
            try {
                Linker linker = Linker.nativeLinker();
                getsockopt = linker.downcallHandle(
                        linker.defaultLookup().find("getsockopt").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            } catch (RuntimeException e) {
                reason = "getsockopt cannot be called through the Foreign Function API here (" + e
                        + "); grant native access, e.g. --enable-native-access=ALL-UNNAMED";
            }
        }
        UNSUPPORTED = reason;
        GETSOCKOPT = getsockopt;
    }

    private SocketProbe() {}

    /** {@return why options cannot be read here, or null when they can} */
    static String unsupportedReason() {
        return UNSUPPORTED;
    }

    /**
     * {@return the integer value of a socket option of the TCP socket of this process whose local
     * port is {@code localPort} and remote port {@code remotePort}}
     *
     * @throws AssertionError if no such socket is open in this process or getsockopt fails
     */
    static int option(int localPort, int remotePort, int level, int name) {
        if (UNSUPPORTED != null) {
            throw new IllegalStateException(UNSUPPORTED);
        }
        int fd = descriptor(localPort, remotePort);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, Integer.BYTES);
            int result = (int) GETSOCKOPT.invokeExact(fd, level, name, value, length);
            if (result != 0) {
                throw new AssertionError("getsockopt(" + fd + ", " + level + ", " + name + ") failed");
            }
            return value.get(ValueLayout.JAVA_INT, 0);
        } catch (AssertionError | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError("getsockopt failed: " + e, e);
        }
    }

    /** The descriptor of the socket with these ports, found by inode. */
    private static int descriptor(int localPort, int remotePort) {
        OptionalInt inode = inode(localPort, remotePort);
        if (inode.isEmpty()) {
            throw new AssertionError("no TCP socket from local port " + localPort + " to remote port " + remotePort
                    + " in /proc/net/tcp or /proc/net/tcp6");
        }
        String target = "socket:[" + inode.getAsInt() + "]";
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path entry : entries) {
                try {
                    if (Files.readSymbolicLink(entry).toString().equals(target)) {
                        return Integer.parseInt(entry.getFileName().toString());
                    }
                } catch (IOException closedMeanwhile) {
                    // not ours
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/fd", e);
        }
        throw new AssertionError("the socket " + target + " (local port " + localPort + ", remote port " + remotePort
                + ") is not open in this process");
    }

    private static OptionalInt inode(int localPort, int remotePort) {
        for (Path table : TCP_TABLES) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length < 10) {
                    continue;
                }
                if (port(fields[1]) == localPort && port(fields[2]) == remotePort) {
                    int inode = Integer.parseInt(fields[9]);
                    if (inode != 0) {
                        return OptionalInt.of(inode);
                    }
                }
            }
        }
        return OptionalInt.empty();
    }

    /** Counts the sockets in {@code TIME_WAIT} whose local port is {@code localPort}. */
    static int timeWaitCount(int localPort) {
        int count = 0;
        for (Path table : TCP_TABLES) {
            try {
                List<String> lines = Files.readAllLines(table);
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length > 3 && port(fields[1]) == localPort && fields[3].equals("06")) {
                        count++;
                    }
                }
            } catch (IOException e) {
                // table missing: IPv6 off
            }
        }
        return count;
    }

    private static int port(String hexAddressAndPort) {
        int colon = hexAddressAndPort.lastIndexOf(':');
        return colon < 0 ? -1 : Integer.parseInt(hexAddressAndPort.substring(colon + 1), 16);
    }
}
