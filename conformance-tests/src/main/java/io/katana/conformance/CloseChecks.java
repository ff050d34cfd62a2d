package io.katana.conformance;

import static io.katana.conformance.Bytes.KIB;
import static io.katana.conformance.Bytes.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.katana.conformance.Probe.Event;
import io.katana.reactor.Connection;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorGroup;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;

/**
 * Ending connections: half-close by either side, reset by the peer, close and abort (twice, with
 * data queued, from any thread), and what writing to an ended connection does.
 */
final class CloseChecks {

    private final Harness h;

    CloseChecks(Harness harness) {
        this.h = harness;
    }

    void shutdownOutputSendsFinAndKeepsReading() throws IOException {
        Accepted accepted = new Accepted(() -> Probe.recording().whenOpened(c -> {
            c.write(Bytes.asciiBuffer("hello"));
            c.shutdownOutput();
        }));
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        assertThat(Bytes.ascii(Bytes.readToEndOfStream(peer, 64))).as("bytes before the FIN").isEqualTo("hello");

        Probe server = accepted.next();
        peer.getOutputStream().write(Bytes.ascii("still reading"));
        assertThat(Bytes.ascii(server.awaitReceived(13))).isEqualTo("still reading");
        assertThat(server.connection().isOpen()).as("isOpen after shutdownOutput").isTrue();
        server.connection().shutdownOutput(); // a second time, from another thread: harmless
        peer.shutdownOutput();
        server.awaitInputClosed();
        assertThat(server.awaitClose()).as("cause of an orderly close").isNull();
        server.assertContract();
    }

    void peerHalfCloseFiresOnInputClosedAndWritingGoesOn() throws IOException {
        Accepted accepted = new Accepted(() -> Probe.recording()
                .whenInputClosed(c -> c.writeAndFlush(Bytes.asciiBuffer("pong"))));
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        peer.getOutputStream().write(Bytes.ascii("ping"));
        peer.shutdownOutput();

        Probe server = accepted.next();
        server.awaitInputClosed();
        assertThat(Bytes.ascii(server.received())).as("bytes before the peer's FIN").isEqualTo("ping");
        assertThat(Bytes.ascii(Bytes.readExactly(peer, 4))).as("reply written in onInputClosed").isEqualTo("pong");
        Connection connection = server.connection();
        assertThat(connection.isOpen()).as("isOpen after the peer's half-close").isTrue();
        connection.writeAndFlush(Bytes.asciiBuffer(" and more"));
        connection.close();
        assertThat(Bytes.ascii(Bytes.readToEndOfStream(peer, 64))).as("bytes written later from another thread")
                .isEqualTo(" and more");
        assertThat(server.awaitClose()).isNull();
        assertThat(server.events()).containsExactly(Event.OPEN, Event.READ, Event.INPUT_CLOSED, Event.CLOSE);
        server.assertContract();
    }

    /**
     * End of stream must not be lost when it arrives together with more data than one readiness
     * event reads (a backend's per-event read budget), nor when it arrives while reading is paused:
     * an edge-triggered backend hears of the peer's FIN once, and a later short read must not be
     * taken for "nothing more will come". Both orders are forced: the reactor is kept busy while
     * the bytes and the FIN arrive, or reading is paused until after they have.
     */
    void endOfStreamAfterABurstThatOutlastsTheReadBudgetAndPauses() throws Exception {
        ReactorGroup smallReads = h.openServer(config -> config.withReadBufferSize(1024).withThreads(1));
        int size = 300 * KIB + 123; // many reads of 1 KiB, and the last one comes back short

        // 1. The FIN is already there when the reactor first looks: one event, far more than its budget.
        Accepted busy = new Accepted(Probe::recording);
        Listener first = h.listen(smallReads, busy);
        Socket peer = h.rawClient(first.localAddress());
        Probe server = busy.next();
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.connection().reactor().execute(() -> {
            blocked.countDown();
            Waits.await(release, "the test to let the reactor go");
        });
        Waits.await(blocked, "the reactor to run the blocking task");
        peer.getOutputStream().write(Bytes.random(h.random(), size));
        peer.shutdownOutput();
        Waits.sleep(Duration.ofMillis(100)); // the bytes and the FIN reach the server's socket
        release.countDown();
        server.awaitInputClosed();
        assertThat(server.received()).as("bytes read before end of stream, FIN with the burst").hasSize(size);
        server.connection().close();
        assertThat(server.awaitClose()).isNull();
        server.assertContract();

        // 2. The FIN arrives while reading is paused; resuming must find it.
        Accepted paused = new Accepted(() -> Probe.recording().whenOpened(Connection::pauseReading));
        Listener second = h.listen(smallReads, paused);
        Socket pausedPeer = h.rawClient(second.localAddress());
        Probe pausedServer = paused.next();
        pausedPeer.getOutputStream().write(Bytes.random(h.random(), size));
        pausedPeer.shutdownOutput();
        Waits.sleep(Duration.ofMillis(100));
        pausedServer.connection().resumeReading();
        pausedServer.awaitInputClosed();
        assertThat(pausedServer.received()).as("bytes read before end of stream, FIN while paused").hasSize(size);
        pausedServer.connection().close();
        assertThat(pausedServer.awaitClose()).isNull();
        pausedServer.assertContract();
    }

    void defaultOnInputClosedClosesAfterQueuedWrites() throws Exception {
        Accepted accepted = new Accepted(Probe::echo);
        Listener listener = h.listen(h.server(), () -> accepted.get().withDefaultInputClosed());
        Socket peer = h.rawClient(listener.localAddress());
        byte[] payload = Bytes.random(h.random(), 2 * MIB);
        var writer = h.background(() -> {
            peer.getOutputStream().write(payload);
            peer.shutdownOutput();
            return null;
        });
        byte[] echoed = Bytes.readToEndOfStream(peer, payload.length);
        Harness.join(writer, Waits.EVENT, "the writer");
        Bytes.assertSameBytes(payload, echoed, "echo before the default onInputClosed closed the connection");
        Probe server = accepted.next();
        assertThat(server.awaitClose()).isNull();
        server.assertContract();
    }

    void halfCloseBetweenReactors() throws IOException {
        Accepted accepted = new Accepted(() -> Probe.recording().whenInputClosed(c -> {
            c.write(Bytes.asciiBuffer("reply after your FIN"));
            c.close();
        }));
        Listener listener = h.listen(h.server(), accepted);
        Probe client = Probe.recording();
        Connection connection = h.connect(h.client(), listener.localAddress(), client);
        connection.writeAndFlush(Bytes.asciiBuffer("request"));
        connection.shutdownOutput();

        Probe server = accepted.next();
        server.awaitInputClosed();
        assertThat(Bytes.ascii(server.received())).isEqualTo("request");
        client.awaitInputClosed();
        assertThat(Bytes.ascii(client.received())).isEqualTo("reply after your FIN");
        assertThat(client.awaitClose()).as("client cause").isNull();
        assertThat(server.awaitClose()).as("server cause").isNull();
        assertThat(client.events()).containsExactly(Event.OPEN, Event.READ, Event.INPUT_CLOSED, Event.CLOSE);
        assertThat(server.events()).containsExactly(Event.OPEN, Event.READ, Event.INPUT_CLOSED, Event.CLOSE);
        client.assertContract();
        server.assertContract();
    }

    void peerResetIsReportedToOnClose() throws IOException {
        Accepted accepted = new Accepted(Probe::recording);
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        peer.getOutputStream().write(1);
        Probe server = accepted.next();
        server.awaitReceived(1);
        reset(peer);
        assertThat(server.awaitClose()).as("onClose cause after the peer reset the connection").isNotNull();
        assertThat(server.connection().isOpen()).isFalse();
        server.assertContract();
    }

    void writesAfterPeerResetNeitherHangNorThrow() throws IOException {
        Accepted accepted = new Accepted(Probe::echo);
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        peer.getOutputStream().write(1);
        Probe server = accepted.next();
        Bytes.readExactly(peer, 1);
        Connection connection = server.connection();
        reset(peer);

        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        ByteBuffer chunk = ByteBuffer.allocate(64 * KIB);
        long deadline = System.nanoTime() + Waits.EVENT.toNanos();
        int writes = 0;
        while (!server.isClosed() && System.nanoTime() - deadline < 0) {
            try {
                connection.writeAndFlush(chunk.clear());
                writes++;
            } catch (Throwable t) {
                thrown.add(t);
            }
            if (writes % 8 == 0) {
                connection.reactor().execute(() -> {
                    try {
                        connection.write(ByteBuffer.allocate(KIB));
                        connection.flush();
                    } catch (Throwable t) {
                        thrown.add(t);
                    }
                });
            }
            Waits.sleep(Duration.ofMillis(1));
        }
        assertThat(server.awaitClose()).as("onClose cause after writing to a reset connection").isNotNull();
        connection.writeAndFlush(chunk.clear());
        assertThat(thrown).as("exceptions thrown by write or flush after the reset").isEmpty();
        server.assertContract();

        Socket other = h.rawClient(listener.localAddress());
        other.getOutputStream().write(Bytes.ascii("still alive?"));
        assertThat(Bytes.ascii(Bytes.readExactly(other, 12))).as("echo on a new connection").isEqualTo("still alive?");
    }

    void closingTwiceIsHarmless() throws IOException {
        Accepted accepted = new Accepted(Probe::recording);
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        Probe server = accepted.next();
        Connection connection = server.connection();
        connection.close();
        connection.close();
        assertThat(server.awaitClose()).isNull();
        connection.close();
        connection.abort();
        Waits.onLoop(connection.reactor(), () -> {
            connection.close();
            connection.abort();
            connection.close();
        });
        assertThat(connection.isOpen()).isFalse();
        assertThat(Bytes.readToEndOfStream(peer, 16)).as("bytes after close").isEmpty();
        assertThat(server.events()).containsExactly(Event.OPEN, Event.CLOSE);
        server.assertContract();
    }

    void closeSendsEverythingQueuedFirst() throws IOException {
        int size = 4 * MIB;
        Accepted accepted = new Accepted(() -> Probe.recording().whenOpened(c -> {
            c.write(Bytes.pattern(0, size, true));
            c.close();
        }));
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        Bytes.readPattern(peer.getInputStream(), size, () -> {});
        assertThat(peer.getInputStream().read()).as("end of stream after the queued bytes").isEqualTo(-1);
        assertThat(accepted.next().awaitClose()).isNull();
    }

    void abortDropsQueuedBytesAndClosesAtOnce() throws IOException {
        int size = 32 * MIB;
        Accepted accepted = new Accepted(Probe::recording);
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress(), 16 * KIB);
        Probe server = accepted.next();
        Connection connection = server.connection();
        connection.writeAndFlush(Bytes.pattern(0, size, true));
        Waits.until(() -> connection.pendingOutboundBytes() > 0 && connection.pendingOutboundBytes() < size,
                Waits.EVENT, () -> "the socket never took part of a 32 MiB write: pending "
                        + connection.pendingOutboundBytes());
        connection.abort();
        server.awaitClose();
        assertThat(connection.isOpen()).isFalse();
        assertThat(connection.pendingOutboundBytes()).as("pendingOutboundBytes after abort").isZero();
        Bytes.Ending ending = Bytes.readUntilEnd(peer, size);
        assertThat(ending.data().length).as("bytes the never-reading peer got after abort, of " + size + " written")
                .isLessThan(size);
        server.assertContract();
    }

    void writesAfterCloseAreDiscardedWithoutError() throws IOException {
        Accepted accepted = new Accepted(Probe::recording);
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        Probe server = accepted.next();
        Connection connection = server.connection();
        connection.close();
        server.awaitClose();
        assertThat(Bytes.readToEndOfStream(peer, 16)).isEmpty();

        ByteBuffer late = Bytes.asciiBuffer("late");
        connection.write(late);
        assertThat(late.hasRemaining()).as("a discarded write still consumes the buffer").isFalse();
        connection.flush();
        connection.writeAndFlush(Bytes.asciiBuffer("later"));
        connection.write(Bytes.ascii("latest"));
        connection.shutdownOutput();
        connection.pauseReading();
        connection.resumeReading();
        Waits.onLoop(connection.reactor(), () -> {
            ByteBuffer onLoop = Bytes.asciiBuffer("on the loop");
            connection.write(onLoop);
            assertThat(onLoop.hasRemaining()).isFalse();
            connection.writeAndFlush(Bytes.asciiBuffer("again"));
            connection.shutdownOutput();
        });
        Waits.until(() -> connection.pendingOutboundBytes() == 0, Waits.EVENT,
                () -> "writes to a closed connection still count as pending: " + connection.pendingOutboundBytes());
        server.assertContract();
    }

    void writesAfterShutdownOutputAreDiscarded() throws IOException {
        Accepted accepted = new Accepted(() -> Probe.recording().whenOpened(c -> {
            c.write(Bytes.asciiBuffer("before"));
            c.shutdownOutput();
            c.write(Bytes.asciiBuffer("after"));
            c.flush();
        }).whenInputClosed(Connection::close));
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        Probe server = accepted.next();
        server.connection().writeAndFlush(Bytes.asciiBuffer("after, from another thread"));
        assertThat(Bytes.ascii(Bytes.readToEndOfStream(peer, 64))).isEqualTo("before");
        peer.getOutputStream().write(Bytes.ascii("input still works"));
        assertThat(Bytes.ascii(server.awaitReceived(17))).isEqualTo("input still works");
        server.assertContract();
    }

    void writesRacingACloseArriveAsUnbrokenPrefixes() throws Exception {
        int writers = 4;
        int frames = 10_000;
        int closeAfter = 2_000;
        Accepted accepted = new Accepted(Probe::recording);
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        Probe server = accepted.next();
        Connection connection = server.connection();
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Void>> running = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            running.add(h.background(() -> {
                start.await();
                for (long seq = 0; seq < frames; seq++) {
                    try {
                        connection.writeAndFlush(ByteBuffer.allocate(12).putInt(writer).putLong(seq).flip());
                        if (writer == 0 && seq == closeAfter) {
                            connection.close();
                        }
                    } catch (Throwable t) {
                        thrown.add(t);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        ByteBuffer arrived = ByteBuffer.wrap(Bytes.readToEndOfStream(peer, writers * frames * 12));
        for (var writer : running) {
            Harness.join(writer, Waits.EVENT, "a writer thread");
        }
        assertThat(thrown).as("exceptions from writes racing a close").isEmpty();
        assertThat(arrived.remaining() % 12).as("bytes of a torn frame at the end of the stream").isZero();
        long[] next = new long[writers];
        while (arrived.hasRemaining()) {
            int writer = arrived.getInt();
            long seq = arrived.getLong();
            if (writer < 0 || writer >= writers || seq != next[writer]) {
                throw new AssertionError("frame " + seq + " of writer " + writer + " arrived where writer "
                        + (writer >= 0 && writer < writers ? writer + "'s frame " + next[writer] : "ids 0-3")
                        + " was due: a write racing close() was lost, repeated or reordered");
            }
            next[writer]++;
        }
        assertThat(next[0]).as("frames of the thread that called close() after its frame " + closeAfter
                + ": all written before close, none after").isEqualTo(closeAfter + 1);
        assertThat(server.awaitClose()).isNull();
        server.assertContract();
    }

    /** Closes {@code socket} with SO_LINGER 0, so the kernel sends RST instead of FIN. */
    static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }
}
