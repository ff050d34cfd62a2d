package io.katana.conformance;

import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.spi.ReactorProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The process's open sockets, pipes and event descriptors, read from {@code /proc/self/fd}, so a
 * check can prove a backend closed everything it opened.
 *
 * <p>Only descriptors that are not regular files count: the class loader opens jar files lazily
 * and keeps them, which is not a leak. A descriptor is identified by its number and its target
 * (which names the socket's inode), so a number reused by a new socket is still seen as new.
 *
 * <p>Some descriptors are opened once per process on first use, by the JDK's socket code and
 * perhaps by a backend; {@link #warmUp} makes that happen before the first snapshot so the
 * comparison measures only what one check leaves behind.
 *
 * <p>Threading: snapshots are immutable; the warm-up registry is thread-safe.
 */
final class FileDescriptors {

    private static final Path FD_DIRECTORY = Path.of("/proc/self/fd");
    private static final Set<String> WARMED = ConcurrentHashMap.newKeySet();

    private FileDescriptors() {}

    /** Whether this platform lists a process's descriptors in {@code /proc/self/fd}. */
    static boolean supported() {
        return Files.isDirectory(FD_DIRECTORY);
    }

    /** The socket, pipe and anonymous-inode descriptors open now; empty where /proc is absent. */
    static Map<Integer, String> snapshot() {
        Map<Integer, String> open = new TreeMap<>();
        if (!supported()) {
            return open;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(FD_DIRECTORY)) {
            for (Path entry : entries) {
                String target;
                try {
                    target = Files.readSymbolicLink(entry).toString();
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                if (target.startsWith("socket:") || target.startsWith("pipe:") || target.startsWith("anon_inode:")) {
                    open.put(Integer.valueOf(entry.getFileName().toString()), target);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list " + FD_DIRECTORY, e);
        }
        return open;
    }

    /** The descriptors in {@code after} that were not open, with the same target, in {@code before}. */
    static Map<Integer, String> opened(Map<Integer, String> before, Map<Integer, String> after) {
        Map<Integer, String> added = new TreeMap<>();
        after.forEach((fd, target) -> {
            if (!target.equals(before.get(fd))) {
                added.put(fd, target);
            }
        });
        return added;
    }

    /**
     * Fails unless every descriptor opened since {@code before} is closed within {@code settle}
     * (closing may finish a moment after the call that asked for it, on another thread).
     */
    static void assertAllClosedSince(Map<Integer, String> before, Duration settle, String when) {
        long deadline = System.nanoTime() + settle.toNanos();
        Map<Integer, String> left = opened(before, snapshot());
        while (!left.isEmpty() && System.nanoTime() - deadline < 0) {
            Waits.sleep(Duration.ofMillis(20));
            left = opened(before, snapshot());
        }
        if (!left.isEmpty()) {
            throw new AssertionError(left.size() + " file descriptor(s) still open " + when + " (waited "
                    + Waits.describe(settle) + "): " + left);
        }
    }

    /**
     * Opens and closes, once per process, what lazily creates process-wide descriptors: the JDK's
     * socket and selector machinery, and one group of {@code provider} with a connection through it.
     */
    static void warmUp(ReactorProvider provider) {
        if (!supported()) {
            return;
        }
        if (WARMED.add("jdk")) {
            warmUpJdk();
        }
        if (!WARMED.add("provider:" + provider.name())) {
            return;
        }
        try {
            ReactorGroup group = provider.open(ReactorConfig.defaults().withThreads(1)
                    .withThreadNamePrefix("conformance-warm-up-"));
            try {
                var listener = group.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Probe::echo);
                try (Socket socket = new Socket()) {
                    socket.setSoTimeout((int) Waits.EVENT.toMillis());
                    socket.connect(listener.localAddress(), (int) Waits.EVENT.toMillis());
                    socket.getOutputStream().write(1);
                    socket.getInputStream().read();
                }
            } finally {
                group.shutdownGracefully(Duration.ofSeconds(2)).get(Waits.SHUTDOWN.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (Exception | AssertionError e) {
            // A backend that cannot do this fails the checks themselves, with a clearer message.
        }
    }

    private static void warmUpJdk() {
        try (ServerSocketChannel server = ServerSocketChannel.open();
                Selector selector = Selector.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
                    SocketChannel accepted = server.accept()) {
                client.configureBlocking(false);
                client.register(selector, java.nio.channels.SelectionKey.OP_READ);
                selector.selectNow();
                accepted.shutdownOutput();
            }
            selector.selectNow();
            try (ServerSocket blockingServer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    Socket blockingClient = new Socket(InetAddress.getLoopbackAddress(), blockingServer.getLocalPort());
                    Socket blockingAccepted = blockingServer.accept()) {
                blockingClient.setSoLinger(true, 0);
                blockingAccepted.shutdownOutput();
            }
        } catch (IOException e) {
            // Nothing to warm up where sockets do not work; the checks will say so.
        }
    }
}
