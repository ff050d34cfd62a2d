package io.katana.conformance;

import static io.katana.conformance.Bytes.KIB;
import static io.katana.conformance.Bytes.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.Connection;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Bytes go through whole, in order, in any split: echo from 1 byte to 8 MiB, gathering writes,
 * flush semantics, the copy-on-write promise, every kind of buffer, writes from other threads.
 */
final class DataTransferChecks {

    /** From one byte to 8 MiB, with odd sizes just past common buffer and chunk sizes. */
    private static final int[] ECHO_SIZES = {1, 2, 1023, 16 * KIB + 1, 64 * KIB + 7, MIB + 13, 8 * MIB};

    private final Harness h;

    DataTransferChecks(Harness harness) {
        this.h = harness;
    }

    void echoesRandomBytesInRandomSplitsBetweenReactors() throws IOException {
        AtomicInteger connections = new AtomicInteger();
        Accepted accepted = new Accepted(() -> Probe.recording()
                .whenRead(splittingEcho(new Random(h.seed() + connections.incrementAndGet()))));
        Listener listener = h.listen(h.server(), accepted);
        for (int size : ECHO_SIZES) {
            Probe client = Probe.recording();
            Connection connection = h.connect(h.client(), listener.localAddress(), client);
            byte[] payload = Bytes.random(h.random(), size);
            writeInRandomSplits(connection, payload, h.random());
            byte[] echoed = client.awaitReceived(size, Waits.TRANSFER);
            Bytes.assertSameBytes(payload, echoed, "echo of " + size + " random bytes (seed " + h.seed() + ")");
            connection.close();
            assertThat(client.awaitClose()).as("cause of an orderly close").isNull();
            client.assertContract();
        }
        for (Probe server : accepted.all()) {
            assertThat(server.awaitClose()).as("server side cause of an orderly close").isNull();
            server.assertContract();
        }
    }

    void echoesRandomSplitsToABlockingPeer() throws Exception {
        Listener listener = h.listen(h.server(), Probe::echo);
        for (int size : new int[] {1, 100_003, 8 * MIB}) {
            Socket peer = h.rawClient(listener.localAddress());
            byte[] payload = Bytes.random(h.random(), size);
            Random writerRandom = new Random(h.seed() + size);
            Future<Void> writer = h.background(() -> {
                writeInRandomSplits(peer.getOutputStream(), payload, writerRandom);
                return null;
            });
            byte[] echoed = readInRandomSplits(peer.getInputStream(), size, h.random());
            Harness.join(writer, Waits.TRANSFER, "writing " + size + " bytes");
            Bytes.assertSameBytes(payload, echoed, "echo of " + size + " bytes read in random splits (seed "
                    + h.seed() + ")");
            peer.close();
        }
    }

    void echoesThroughABlockingServerFromAReactorClient() throws Exception {
        ServerSocket server = h.track(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        server.setSoTimeout((int) Waits.EVENT.toMillis());
        Random peerRandom = new Random(h.seed() ^ 0x5eed);
        Future<Void> echo = h.background(() -> {
            try (Socket accepted = server.accept()) {
                accepted.setSoTimeout((int) Waits.TRANSFER.toMillis());
                InputStream in = accepted.getInputStream();
                OutputStream out = accepted.getOutputStream();
                byte[] buffer = new byte[64 * KIB];
                int n;
                while ((n = in.read(buffer, 0, 1 + peerRandom.nextInt(buffer.length))) >= 0) {
                    int offset = 0;
                    while (offset < n) {
                        int piece = Math.min(n - offset, 1 + peerRandom.nextInt(4 * KIB));
                        out.write(buffer, offset, piece);
                        offset += piece;
                    }
                }
                accepted.shutdownOutput();
            }
            return null;
        });
        Probe client = Probe.recording();
        Connection connection = h.connect(h.client(), server.getLocalSocketAddress(), client);
        int expected = 0;
        List<byte[]> sent = new ArrayList<>();
        for (int size : new int[] {1, 65_537, 4 * MIB}) {
            byte[] payload = Bytes.random(h.random(), size);
            sent.add(payload);
            writeInRandomSplits(connection, payload, h.random());
            expected += size;
            byte[] echoed = client.awaitReceived(expected, Waits.TRANSFER);
            Bytes.assertSameBytes(concat(sent), echoed, "echo through a blocking server (seed " + h.seed() + ")");
        }
        connection.shutdownOutput();
        client.awaitInputClosed();
        Harness.join(echo, Waits.EVENT, "the blocking echo server");
        assertThat(client.awaitClose()).as("cause after both sides ended their output").isNull();
        client.assertContract();
    }

    void gatheringWritesArriveWholeAndInOrder() throws IOException {
        List<byte[]> onLoop = randomPieces(300);
        Accepted accepted = new Accepted(() -> Probe.recording().whenOpened(c -> {
            for (int i = 0; i < onLoop.size(); i++) {
                c.write(bufferOfKind(onLoop.get(i), i));
            }
            c.flush();
        }));
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        byte[] expected = concat(onLoop);
        Bytes.assertSameBytes(expected, Bytes.readExactly(peer, expected.length),
                "300 writes then one flush on the reactor thread");

        Connection connection = accepted.next().connection();
        List<byte[]> fromOutside = randomPieces(300);
        for (int i = 0; i < fromOutside.size(); i++) {
            connection.write(bufferOfKind(fromOutside.get(i), i));
        }
        connection.flush();
        byte[] expectedOutside = concat(fromOutside);
        Bytes.assertSameBytes(expectedOutside, Bytes.readExactly(peer, expectedOutside.length),
                "300 writes then one flush from another thread");
    }

    void sendsNothingBeforeFlush() throws IOException {
        Accepted accepted = new Accepted(() -> Probe.recording().whenOpened(c -> c.write(Bytes.asciiBuffer("early"))));
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        Connection connection = accepted.next().connection();
        connection.write(Bytes.asciiBuffer(" and later"));
        peer.setSoTimeout(300);
        try {
            int first = peer.getInputStream().read();
            throw new AssertionError("a byte arrived before flush() was called: "
                    + (first < 0 ? "end of stream" : Bytes.preview(new byte[] {(byte) first})));
        } catch (java.net.SocketTimeoutException expected) {
            // Nothing was sent: right.
        }
        peer.setSoTimeout((int) Waits.EVENT.toMillis());
        connection.flush();
        assertThat(Bytes.ascii(Bytes.readExactly(peer, 15))).isEqualTo("early and later");
    }

    void writeCopiesTheCallersBuffer() throws IOException {
        Accepted accepted = new Accepted(Probe::recording);
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        Connection connection = accepted.next().connection();

        ByteBuffer heap = ByteBuffer.wrap(filled('A', 64 * KIB));
        connection.write(heap);
        assertThat(heap.position()).as("position of the written heap buffer").isEqualTo(heap.limit());
        java.util.Arrays.fill(heap.array(), (byte) 'B');
        ByteBuffer direct = ByteBuffer.allocateDirect(64 * KIB).put(filled('C', 64 * KIB)).flip();
        connection.write(direct);
        assertThat(direct.position()).as("position of the written direct buffer").isEqualTo(direct.limit());
        direct.clear().put(filled('D', 64 * KIB));
        connection.flush();
        Waits.onLoop(connection.reactor(), () -> {
            ByteBuffer onLoop = ByteBuffer.wrap(filled('E', 1000));
            connection.write(onLoop);
            java.util.Arrays.fill(onLoop.array(), (byte) 'F');
            connection.flush();
        });
        byte[] arrived = Bytes.readExactly(peer, 128 * KIB + 1000);
        byte[] expected = new byte[arrived.length];
        java.util.Arrays.fill(expected, 0, 64 * KIB, (byte) 'A');
        java.util.Arrays.fill(expected, 64 * KIB, 128 * KIB, (byte) 'C');
        java.util.Arrays.fill(expected, 128 * KIB, expected.length, (byte) 'E');
        Bytes.assertSameBytes(expected, arrived, "bytes written, then overwritten in the caller's buffer");
    }

    void writeAcceptsEveryKindOfBuffer() throws IOException {
        Accepted accepted = new Accepted(Probe::recording);
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        Connection connection = accepted.next().connection();

        byte[] backing = Bytes.ascii("xx[heap-slice]xx");
        ByteBuffer slice = ByteBuffer.wrap(backing, 2, 12).slice();
        ByteBuffer positioned = ByteBuffer.wrap(Bytes.ascii("..[positioned]..")).position(2).limit(14);
        ByteBuffer readOnly = Bytes.asciiBuffer("[read-only]").asReadOnlyBuffer();
        ByteBuffer direct = ByteBuffer.allocateDirect(32).put(Bytes.ascii("[direct]")).flip();
        ByteBuffer readOnlyDirect = ByteBuffer.allocateDirect(32).put(Bytes.ascii("[ro-direct]")).flip()
                .asReadOnlyBuffer();
        ByteBuffer empty = ByteBuffer.allocate(0);
        List<ByteBuffer> buffers = List.of(slice, positioned, readOnly, empty, direct, readOnlyDirect);
        for (ByteBuffer buffer : buffers) {
            connection.write(buffer);
            assertThat(buffer.hasRemaining()).as("write leaves the buffer's position at its limit").isFalse();
        }
        connection.write(Bytes.ascii("[array]"));
        connection.flush();
        String expected = "[heap-slice][positioned][read-only][direct][ro-direct][array]";
        assertThat(Bytes.ascii(Bytes.readExactly(peer, expected.length()))).isEqualTo(expected);
    }

    void writesFromOtherThreadsKeepEachThreadsOrder() throws Exception {
        int threads = 4;
        int framesPerThread = 2000;
        Accepted accepted = new Accepted(Probe::recording);
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        Connection connection = accepted.next().connection();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Void>> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int writer = t;
            writers.add(h.background(() -> {
                start.await();
                for (long seq = 0; seq < framesPerThread; seq++) {
                    connection.writeAndFlush(ByteBuffer.allocate(12).putInt(writer).putLong(seq).flip());
                }
                return null;
            }));
        }
        start.countDown();
        ByteBuffer frames = ByteBuffer.wrap(Bytes.readExactly(peer, threads * framesPerThread * 12));
        long[] next = new long[threads];
        while (frames.hasRemaining()) {
            int writer = frames.getInt();
            long seq = frames.getLong();
            if (writer < 0 || writer >= threads) {
                throw new AssertionError("a frame was torn apart: writer id " + writer + " at byte "
                        + (frames.position() - 12));
            }
            if (seq != next[writer]) {
                throw new AssertionError("thread " + writer + "'s writes arrived out of order: frame " + seq
                        + " came when " + next[writer] + " was due");
            }
            next[writer]++;
        }
        for (Future<Void> writer : writers) {
            Harness.join(writer, Waits.EVENT, "a writer thread");
        }
    }

    void writesLargeBuffersFromAnotherThread() throws Exception {
        Accepted accepted = new Accepted(Probe::recording);
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        Connection connection = accepted.next().connection();
        int directSize = 24 * MIB;
        int heapSize = 8 * MIB + 5;
        Future<Void> writer = h.background(() -> {
            connection.writeAndFlush(Bytes.pattern(0, directSize, true));
            connection.writeAndFlush(Bytes.pattern(directSize, heapSize, false));
            return null;
        });
        Bytes.readPattern(peer.getInputStream(), (long) directSize + heapSize, () -> {});
        Harness.join(writer, Waits.EVENT, "the writer thread");
    }

    void echoesWithTinyReadBufferAndChunks() throws Exception {
        ReactorGroup tiny = h.openServer(config -> config.withReadBufferSize(1024).withOutboundChunkSize(256));
        Accepted accepted = new Accepted(Probe::echo);
        Listener listener = h.listen(tiny, accepted);
        Socket peer = h.rawClient(listener.localAddress());
        byte[] payload = Bytes.random(h.random(), MIB + 333);
        Future<Void> writer = h.background(() -> {
            writeInRandomSplits(peer.getOutputStream(), payload, new Random(h.seed()));
            return null;
        });
        byte[] echoed = Bytes.readExactly(peer, payload.length);
        Harness.join(writer, Waits.TRANSFER, "the writer");
        Bytes.assertSameBytes(payload, echoed, "echo through a 1 KiB read buffer and 256 byte chunks (seed "
                + h.seed() + ")");
        Probe server = accepted.next();
        assertThat(server.largestRead())
                .as("bytes one onRead presented, with readBufferSize 1024 and everything consumed each time")
                .isLessThanOrEqualTo(1024);
        server.assertContract();
    }

    // ---------------------------------------------------------------- helpers

    /** An onRead that writes the bytes back in random pieces, flushing now and then and at the end. */
    static BiConsumer<Connection, ByteBuffer> splittingEcho(Random random) {
        return (c, data) -> {
            while (data.hasRemaining()) {
                int piece = Math.min(data.remaining(), 1 + random.nextInt(random.nextInt(4) == 0 ? 16 : 32 * KIB));
                c.write(data.slice(data.position(), piece));
                data.position(data.position() + piece);
                if (random.nextInt(4) == 0) {
                    c.flush();
                }
            }
            c.flush();
        };
    }

    static void writeInRandomSplits(Connection connection, byte[] payload, Random random) {
        int offset = 0;
        while (offset < payload.length) {
            int piece = Math.min(payload.length - offset, 1 + random.nextInt(random.nextInt(4) == 0 ? 16 : 64 * KIB));
            connection.write(ByteBuffer.wrap(payload, offset, piece));
            offset += piece;
            if (random.nextInt(3) == 0) {
                connection.flush();
            }
        }
        connection.flush();
    }

    static void writeInRandomSplits(OutputStream out, byte[] payload, Random random) throws IOException {
        int offset = 0;
        while (offset < payload.length) {
            int piece = Math.min(payload.length - offset, 1 + random.nextInt(random.nextInt(4) == 0 ? 16 : 64 * KIB));
            out.write(payload, offset, piece);
            offset += piece;
        }
        out.flush();
    }

    static byte[] readInRandomSplits(InputStream in, int size, Random random) throws IOException {
        byte[] bytes = new byte[size];
        int offset = 0;
        while (offset < size) {
            int n = in.read(bytes, offset, Math.min(size - offset, 1 + random.nextInt(64 * KIB)));
            if (n < 0) {
                throw new AssertionError("the stream ended after " + offset + " of " + size + " bytes");
            }
            offset += n;
        }
        return bytes;
    }

    private List<byte[]> randomPieces(int count) {
        List<byte[]> pieces = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pieces.add(Bytes.random(h.random(), 1 + h.random().nextInt(3000)));
        }
        return pieces;
    }

    /** Heap, direct and read-only buffers in turn, so a gathering write sees every kind. */
    private static ByteBuffer bufferOfKind(byte[] bytes, int index) {
        return switch (index % 3) {
            case 0 -> ByteBuffer.wrap(bytes);
            case 1 -> ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
            default -> ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        };
    }

    static byte[] concat(List<byte[]> pieces) {
        int total = 0;
        for (byte[] piece : pieces) {
            total += piece.length;
        }
        byte[] all = new byte[total];
        int offset = 0;
        for (byte[] piece : pieces) {
            System.arraycopy(piece, 0, all, offset, piece.length);
            offset += piece.length;
        }
        return all;
    }

    static byte[] filled(char c, int size) {
        byte[] bytes = new byte[size];
        java.util.Arrays.fill(bytes, (byte) c);
        return bytes;
    }
}
