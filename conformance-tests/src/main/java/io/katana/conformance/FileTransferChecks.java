package io.katana.conformance;

import static io.katana.conformance.Bytes.KIB;
import static io.katana.conformance.Bytes.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.katana.reactor.Connection;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * {@link Connection#sendFile}: file regions go out in their place among the writes around them, from
 * any thread, under backpressure like written bytes, and the connection always lets go of the file,
 * whether it was sent, dropped by an abort or a peer's reset, refused, or truncated under the transfer
 * (which closes the connection with a reason that says so).
 */
final class FileTransferChecks {

    private final Harness h;
    private final Path directory;

    FileTransferChecks(Harness harness) throws IOException {
        this.h = harness;
        this.directory = Files.createTempDirectory("katana-conformance-files");
        h.track(() -> {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        });
    }

    void fileRegionsKeepTheirPlaceAmongWrites() throws IOException {
        int size = 300_000;
        Path file = patternFile("ordered.bin", size);
        List<String> problems = new CopyOnWriteArrayList<>();
        Scripted server = new Scripted().whenOpened(c -> {
            try {
                c.write(Bytes.asciiBuffer("<a>"));
                c.sendFile(file, 0, size);
                c.sendFile(file, 17, 0); // nothing
                c.write(Bytes.asciiBuffer("<b>"));
                c.sendFile(file, 1000, 5000); // a region from the middle
                c.write(Bytes.asciiBuffer("<c>"));
                c.flush();
            } catch (IOException e) {
                problems.add("sendFile on the reactor thread threw " + e);
            }
        });
        Listener listener = h.listen(h.server(), () -> server);
        Socket peer = h.rawClient(listener.localAddress());
        Connection connection = server.awaitOpen();
        connection.sendFile(file, size - 10, 10); // off the reactor thread: after onOpen's, before "<d>"
        connection.write(Bytes.asciiBuffer("<d>"));
        connection.flush();

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(Bytes.ascii("<a>"));
        expected.writeBytes(patternBytes(0, size));
        expected.writeBytes(Bytes.ascii("<b>"));
        expected.writeBytes(patternBytes(1000, 5000));
        expected.writeBytes(Bytes.ascii("<c>"));
        expected.writeBytes(patternBytes(size - 10, 10));
        expected.writeBytes(Bytes.ascii("<d>"));
        Bytes.assertSameBytes(expected.toByteArray(), Bytes.readExactly(peer, expected.size()),
                "writes and file regions, in the order they were queued");
        assertThat(problems).isEmpty();
        Waits.until(() -> connection.pendingOutboundBytes() == 0, Waits.EVENT,
                () -> "pending outbound bytes back to 0, still " + connection.pendingOutboundBytes());
        awaitFileReleased(file, "every region was sent");
        assertThat(connection.isOpen()).as("the connection after its regions were sent").isTrue();
    }

    void largeFileUnderASlowReaderFollowsTheWaterMarks() throws IOException {
        int size = 16 * MIB;
        Path file = patternFile("large.bin", size);
        List<String> problems = new CopyOnWriteArrayList<>();
        List<Boolean> writableAfterQueueing = new CopyOnWriteArrayList<>();
        Scripted server = new Scripted().whenOpened(c -> {
            try {
                c.sendFile(file, 0, size);
                writableAfterQueueing.add(c.isWritable());
                c.write(Bytes.asciiBuffer("<end>"));
                c.flush();
            } catch (IOException e) {
                problems.add("sendFile threw " + e);
            }
        });
        Listener listener = h.listen(h.server(), ListenOptions.DEFAULT.withSendBufferSize(64 * KIB), () -> server);
        Socket peer = h.rawClient(listener.localAddress(), 64 * KIB);
        Connection connection = server.awaitOpen();
        assertThat(writableAfterQueueing).as("isWritable right after queueing 16 MiB").containsExactly(false);
        Bytes.readPattern(peer.getInputStream(), size, () -> Waits.sleep(Duration.ofMillis(15)));
        assertThat(Bytes.ascii(Bytes.readExactly(peer, 5))).isEqualTo("<end>");
        server.awaitLog(log -> log.contains("writable"), "onWritabilityChanged(true) once the file was sent");
        assertThat(server.log().stream().filter(l -> l.endsWith("writable")).toList())
                .as("writability changes").containsExactly("unwritable", "writable");
        assertThat(problems).isEmpty();
        Waits.until(() -> connection.pendingOutboundBytes() == 0, Waits.EVENT,
                () -> "pending outbound bytes back to 0, still " + connection.pendingOutboundBytes());
        awaitFileReleased(file, "the file was sent");
    }

    void fileTruncatedUnderTheTransferClosesWithTheReason() throws IOException {
        int size = 16 * MIB;
        Path file = patternFile("shrinking.bin", size);
        Scripted server = new Scripted().whenOpened(c -> {
            try {
                c.sendFile(file, 0, size);
                c.flush();
            } catch (IOException e) {
                throw new AssertionError("sendFile threw " + e, e);
            }
        });
        Listener listener = h.listen(h.server(), ListenOptions.DEFAULT.withSendBufferSize(64 * KIB), () -> server);
        Socket peer = h.rawClient(listener.localAddress(), 64 * KIB); // does not read yet: the transfer stalls
        Connection connection = server.awaitOpen();
        Waits.until(() -> connection.pendingOutboundBytes() < size, Waits.EVENT, () -> "the transfer to begin");
        try (FileChannel shrink = FileChannel.open(file, StandardOpenOption.WRITE)) {
            shrink.truncate(MIB);
        }
        Bytes.Ending ending = Bytes.readUntilEnd(peer, size);
        Throwable cause = server.awaitClose("onClose of the connection whose file shrank");
        assertThat(cause).as("the close reason").isInstanceOf(IOException.class);
        assertThat(cause.getMessage()).as("the close reason").contains(file.toString(), "truncated");
        assertThat(ending.data().length).as("bytes the peer got of the " + size + " promised").isLessThan(size);
        awaitFileReleased(file, "the connection closed");
    }

    void abortAndResetMidTransferReleaseTheFile() throws IOException {
        int size = 16 * MIB;
        Path file = patternFile("abandoned.bin", size);
        List<Scripted> handlers = new CopyOnWriteArrayList<>();
        Listener listener = h.listen(h.server(), ListenOptions.DEFAULT.withSendBufferSize(64 * KIB), () -> {
            Scripted handler = new Scripted().whenOpened(c -> {
                try {
                    c.sendFile(file, 0, size);
                    c.flush();
                } catch (IOException e) {
                    throw new AssertionError("sendFile threw " + e, e);
                }
            });
            handlers.add(handler);
            return handler;
        });

        Socket aborted = h.rawClient(listener.localAddress(), 64 * KIB);
        Waits.until(() -> handlers.size() == 1, Waits.EVENT, () -> "the first connection");
        Connection first = handlers.getFirst().awaitOpen();
        Waits.until(() -> first.pendingOutboundBytes() < size, Waits.EVENT, () -> "the first transfer to begin");
        first.abort();
        assertThat(handlers.getFirst().awaitClose("onClose after abort")).as("cause of an abort").isNull();
        assertThat(Bytes.readUntilEnd(aborted, size).reset()).as("the peer of an aborted transfer was reset").isTrue();
        awaitFileReleased(file, "the transfer was aborted");

        Socket leaving = h.rawClient(listener.localAddress(), 64 * KIB);
        Waits.until(() -> handlers.size() == 2, Waits.EVENT, () -> "the second connection");
        Connection second = handlers.get(1).awaitOpen();
        Waits.until(() -> second.pendingOutboundBytes() < size, Waits.EVENT, () -> "the second transfer to begin");
        leaving.setSoLinger(true, 0);
        leaving.close(); // the peer resets without reading the rest
        assertThat(handlers.get(1).awaitClose("onClose after the peer's reset")).as("cause of the peer's reset")
                .isNotNull();
        awaitFileReleased(file, "the peer reset the connection");
    }

    void sendFileRefusesWhatItCannotSendAndKeepsTheConnection() throws IOException {
        int size = 4 * KIB;
        Path file = patternFile("small.bin", size);
        Path missing = directory.resolve("missing.bin");
        Scripted server = new Scripted();
        Listener listener = h.listen(h.server(), () -> server);
        Socket peer = h.rawClient(listener.localAddress());
        Connection connection = server.awaitOpen();

        assertThatThrownBy(() -> connection.sendFile(missing, 0, 1)).as("a missing file")
                .isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> connection.sendFile(file, 0, size + 1)).as("a region past the end")
                .isInstanceOf(IOException.class).hasMessageContaining(String.valueOf(size));
        assertThatThrownBy(() -> connection.sendFile(file, size + 1, 0)).as("a position past the end, count 0")
                .isInstanceOf(IOException.class).hasMessageContaining(String.valueOf(size));
        assertThatThrownBy(() -> connection.sendFile(file, -1, 1)).as("a negative position")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> connection.sendFile(file, 0, -1)).as("a negative count")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> connection.sendFile(directory, 0, 1)).as("a directory")
                .isInstanceOf(IOException.class);
        connection.sendFile(file, size, 0); // the end of the file, nothing: allowed
        Waits.onLoop(connection.reactor(), () -> {
            assertThatThrownBy(() -> connection.sendFile(missing, 0, 1)).as("a missing file, on the reactor thread")
                    .isInstanceOf(NoSuchFileException.class);
        });
        connection.write(Bytes.asciiBuffer("still open"));
        connection.flush();
        assertThat(Bytes.ascii(Bytes.readExactly(peer, 10))).isEqualTo("still open");
        awaitFileReleased(file, "refused regions");

        connection.shutdownOutput();
        connection.sendFile(file, 0, size); // after shutdownOutput: discarded, as writes are
        connection.flush();
        assertThat(Bytes.readToEndOfStream(peer, size)).as("bytes after shutdownOutput").isEmpty();
        awaitFileReleased(file, "a region queued after shutdownOutput was discarded");
    }

    private Path patternFile(String name, int size) throws IOException {
        Path file = directory.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int offset = 0; offset < size; offset += MIB) {
                out.write(patternBytes(offset, Math.min(MIB, size - offset)));
            }
        }
        return file;
    }

    private static byte[] patternBytes(long start, int size) {
        ByteBuffer pattern = Bytes.pattern(start, size, false);
        return Arrays.copyOf(pattern.array(), size);
    }

    /** Waits until no descriptor of this process refers to {@code file}, where {@code /proc/self/fd} tells. */
    private static void awaitFileReleased(Path file, String when) throws IOException {
        if (!FileDescriptors.supported()) {
            return;
        }
        Path target = file.toRealPath();
        Waits.until(() -> descriptorsOf(target) == 0, Waits.EVENT,
                () -> descriptorsOf(target) + " descriptors still refer to " + target + " after " + when);
    }

    private static int descriptorsOf(Path target) {
        int n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path entry : entries) {
                try {
                    if (Files.readSymbolicLink(entry).equals(target)) {
                        n++;
                    }
                } catch (IOException closedMeanwhile) {
                    // gone between listing and reading: not open
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/fd", e);
        }
        return n;
    }
}
