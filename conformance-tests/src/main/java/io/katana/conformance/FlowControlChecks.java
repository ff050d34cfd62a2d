package io.katana.conformance;

import static io.katana.conformance.Bytes.KIB;
import static io.katana.conformance.Bytes.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.katana.conformance.Probe.Event;
import io.katana.reactor.Connection;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.WaterMarks;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Flow control both ways: pausing and resuming reads, unconsumed input kept for the next read, the
 * outbound queue's water marks, and a peer that reads slowly or not at all.
 */
final class FlowControlChecks {

    private final Harness h;

    FlowControlChecks(Harness harness) {
        this.h = harness;
    }

    void pauseStopsReadsAndResumeDeliversTheRest() throws IOException {
        CountDownLatch paused = new CountDownLatch(1);
        Accepted accepted = new Accepted(() -> Probe.recording().whenRead((c, data) -> {
            data.position(data.limit());
            if (paused.getCount() > 0) {
                c.pauseReading();
                paused.countDown();
            }
        }));
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        byte[] first = Bytes.ascii("first");
        peer.getOutputStream().write(first);
        Waits.await(paused, "the first onRead");
        Probe server = accepted.next();
        Connection connection = server.connection();
        assertThat(connection.isReadingPaused()).as("isReadingPaused after pauseReading").isTrue();
        int readsWhilePaused = server.reads();

        byte[] more = Bytes.random(h.random(), 64 * KIB);
        peer.getOutputStream().write(more);
        Waits.sleep(Duration.ofMillis(300));
        assertThat(server.reads()).as("onRead calls while reading was paused").isEqualTo(readsWhilePaused);

        connection.resumeReading();
        byte[] all = server.awaitReceived(first.length + more.length);
        Bytes.assertSameBytes(DataTransferChecks.concat(List.of(first, more)), all, "bytes read around a pause");
        assertThat(connection.isReadingPaused()).as("isReadingPaused after resumeReading").isFalse();
        server.assertContract();
    }

    void resumePresentsKeptBytesWithoutNewInput() throws IOException {
        List<String> presented = new CopyOnWriteArrayList<>();
        CountDownLatch kept = new CountDownLatch(1);
        CountDownLatch presentedAgain = new CountDownLatch(1);
        Accepted accepted = new Accepted(() -> Probe.recording().whenRead((c, data) -> {
            presented.add(Bytes.ascii(Bytes.remaining(data)));
            if (data.remaining() < 6) {
                return; // wait for the whole message, leaving these bytes with the reactor
            }
            if (kept.getCount() > 0) {
                c.pauseReading();
                kept.countDown();
                return; // keep all six while paused
            }
            data.position(data.limit());
            presentedAgain.countDown();
        }));
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        peer.getOutputStream().write(Bytes.ascii("abcdef"));
        Waits.await(kept, "onRead of the six bytes");
        Probe server = accepted.next();
        int presentations = presented.size();
        Waits.sleep(Duration.ofMillis(200));
        assertThat(presented).as("presentations while paused").hasSize(presentations);

        server.connection().resumeReading();
        Waits.await(presentedAgain, "the kept bytes presented again after resumeReading, with no new input");
        Waits.sleep(Duration.ofMillis(100)); // room for a wrong extra call to show
        assertThat(presented.subList(presentations, presented.size()))
                .as("what onRead presented after resumeReading (everything presented: " + presented + ")")
                .containsExactly("abcdef");
        assertThat(Bytes.ascii(server.received())).isEqualTo("abcdef");
        server.assertContract();
    }

    void unconsumedBytesComeBackWithNewerBytes() throws IOException {
        List<String> presented = new CopyOnWriteArrayList<>();
        // Consumes whole frames (ending in ';') and leaves a partial frame for the next call.
        Accepted accepted = new Accepted(() -> Probe.recording().whenRead((c, data) -> {
            String text = Bytes.ascii(Bytes.remaining(data));
            presented.add(text);
            int end = text.lastIndexOf(';');
            data.position(data.position() + end + 1);
        }));
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        peer.getOutputStream().write(Bytes.ascii("AB"));
        Probe server = accepted.next();
        Waits.until(() -> presented.stream().anyMatch(p -> p.contains("AB")), Waits.EVENT,
                () -> "onRead never presented the first bytes; presented " + presented);
        peer.getOutputStream().write(Bytes.ascii("C;D"));
        server.awaitReceived(4);
        peer.getOutputStream().write(Bytes.ascii("E;"));
        assertThat(Bytes.ascii(server.awaitReceived(7))).as("consumed bytes").isEqualTo("ABC;DE;");

        String left = "";
        boolean carriedOver = false;
        for (String presentation : presented) {
            if (!presentation.startsWith(left)) {
                throw new AssertionError("unconsumed bytes \"" + left + "\" were not presented again first; next "
                        + "presentation was \"" + presentation + "\" (all: " + presented + ")");
            }
            carriedOver |= !left.isEmpty() && presentation.length() > left.length();
            left = presentation.substring(presentation.lastIndexOf(';') + 1);
        }
        assertThat(carriedOver).as("some presentation held kept bytes followed by newer ones: " + presented)
                .isTrue();
        server.assertContract();
    }

    void pauseReadingPushesBackOnThePeer() throws IOException {
        CountDownLatch paused = new CountDownLatch(1);
        Accepted accepted = new Accepted(() -> Probe.recording().whenRead((c, data) -> {
            data.position(data.limit());
            if (paused.getCount() > 0) {
                c.pauseReading();
                paused.countDown();
            }
        }));
        Listener listener = h.listen(h.server(), accepted);
        SocketChannel peer = h.track(SocketChannel.open(listener.localAddress()));
        peer.write(ByteBuffer.wrap(new byte[] {1}));
        Waits.await(paused, "the first onRead");
        Probe server = accepted.next();

        peer.configureBlocking(false);
        ByteBuffer chunk = ByteBuffer.allocate(64 * KIB);
        long written = 0;
        int refusals = 0;
        long limit = 64L * MIB;
        long deadline = System.nanoTime() + Waits.EVENT.toNanos();
        while (refusals < 3) {
            int n = peer.write(chunk.clear());
            written += n;
            refusals = n == 0 ? refusals + 1 : 0;
            if (n == 0) {
                Waits.sleep(Duration.ofMillis(50));
            }
            if (written > limit || System.nanoTime() - deadline > 0) {
                throw new AssertionError("the peer wrote " + written + " bytes to a connection whose reading is "
                        + "paused without being slowed down: the backend keeps reading while paused");
            }
        }
        server.connection().resumeReading();
        server.awaitReceived((int) (1 + written), Waits.TRANSFER);
        assertThat(server.receivedCount()).as("bytes read after resuming").isEqualTo(1 + written);
        server.assertContract();
    }

    void togglingPauseAndResumeLosesNoBytes() throws Exception {
        Accepted accepted = new Accepted(Probe::echo);
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        Connection connection = accepted.next().connection();
        byte[] payload = Bytes.random(h.random(), 16 * MIB);
        Random random = new Random(h.seed());
        AtomicBoolean done = new AtomicBoolean();
        var writer = h.background(() -> {
            DataTransferChecks.writeInRandomSplits(peer.getOutputStream(), payload, random);
            return null;
        });
        var toggler = h.background(() -> {
            Random toggles = new Random(h.seed() + 1);
            int round = 0;
            while (!done.get()) {
                if (round++ % 3 == 0) {
                    connection.reactor().execute(connection::pauseReading);
                } else {
                    connection.pauseReading();
                }
                Thread.sleep(toggles.nextInt(3));
                connection.resumeReading();
                Thread.sleep(toggles.nextInt(3));
            }
            return round;
        });
        byte[] echoed;
        try {
            echoed = Bytes.readExactly(peer, payload.length);
        } finally {
            done.set(true);
        }
        int rounds = Harness.join(toggler, Waits.EVENT, "the pause/resume toggler");
        connection.resumeReading();
        Harness.join(writer, Waits.EVENT, "the writer");
        Bytes.assertSameBytes(payload, echoed, "16 MiB echoed while reading was paused and resumed " + rounds
                + " times (seed " + h.seed() + ")");
    }

    void slowReaderOf100MiBStaysWithinTheWaterMarks() throws Exception {
        WaterMarks marks = new WaterMarks(64 * KIB, 256 * KIB);
        Producer producer = new Producer(100L * MIB, 16 * KIB);
        Accepted accepted = new Accepted(producer::probe);
        Listener listener = h.listen(h.server(),
                ListenOptions.DEFAULT.withWaterMarks(marks).withSendBufferSize(64 * KIB), accepted);
        Socket peer = h.rawClient(listener.localAddress(), 64 * KIB);
        peer.setSoTimeout((int) Waits.TRANSFER.toMillis());
        Probe server = accepted.next();
        Waits.await(producer.unwritable, "the producer's connection turning unwritable before the reader reads");
        long start = System.nanoTime();
        Bytes.readPattern(peer.getInputStream(), producer.total, () -> {
            Waits.sleep(Duration.ofMillis(5));
            if (System.nanoTime() - start > Waits.TRANSFER.toNanos()) {
                throw new AssertionError("100 MiB did not arrive within " + Waits.describe(Waits.TRANSFER));
            }
        });
        assertThat(peer.getInputStream().read()).as("end of stream after 100 MiB").isEqualTo(-1);
        assertThat(server.awaitClose()).isNull();

        assertThat(producer.maxPendingAfterWrite.get())
                .as("most bytes queued after a write, with high water mark " + marks.high() + " and "
                        + producer.chunk + " byte writes")
                .isLessThanOrEqualTo(marks.high() + producer.chunk);
        assertAlternating(producer.flips);
        assertThat(producer.flips).as("writability changes").contains(false, true);
        assertThat(server.writabilityMismatches()).as("onWritabilityChanged values that isWritable() contradicted")
                .isEmpty();
        server.assertContract();
    }

    void pendingOutboundBytesCountsWritesOnTheirWay() throws IOException {
        WaterMarks marks = new WaterMarks(32 * KIB, 64 * KIB);
        Accepted accepted = new Accepted(Probe::recording);
        Listener listener = h.listen(h.server(), ListenOptions.DEFAULT.withWaterMarks(marks), accepted);
        Socket peer = h.rawClient(listener.localAddress(), 16 * KIB);
        Probe server = accepted.next();
        Connection connection = server.connection();
        assertThat(connection.isWritable()).as("isWritable of a fresh connection").isTrue();
        assertThat(connection.pendingOutboundBytes()).isZero();

        int size = MIB;
        connection.write(Bytes.pattern(0, size, false));
        assertThat(connection.pendingOutboundBytes()).as("pendingOutboundBytes right after a 1 MiB write from "
                + "another thread").isGreaterThanOrEqualTo(size);
        Waits.until(() -> server.events().contains(Event.UNWRITABLE), Waits.EVENT,
                () -> "no onWritabilityChanged(false) after queueing 1 MiB over a 64 KiB high water mark");
        assertThat(connection.isWritable()).as("isWritable above the high water mark").isFalse();

        connection.flush();
        Bytes.readPattern(peer.getInputStream(), size, () -> {});
        Waits.until(() -> server.events().contains(Event.WRITABLE), Waits.EVENT,
                () -> "no onWritabilityChanged(true) after the queue drained; pending "
                        + connection.pendingOutboundBytes());
        assertThat(connection.pendingOutboundBytes()).as("pendingOutboundBytes once everything was read").isZero();
        assertThat(connection.isWritable()).isTrue();
        assertThat(server.events()).containsExactly(Event.OPEN, Event.UNWRITABLE, Event.WRITABLE);
        assertThat(server.writabilityMismatches()).isEmpty();
        server.assertContract();
    }

    void aPeerThatNeverReadsDoesNotStallTheReactor() throws IOException {
        ReactorGroup single = h.openServer(config -> config.withThreads(1));
        Accepted accepted = new Accepted(Probe::echo);
        Listener listener = h.listen(single, accepted);
        h.rawClient(listener.localAddress(), 16 * KIB);
        Connection stuck = accepted.next().connection();
        int size = 16 * MIB;
        stuck.writeAndFlush(Bytes.pattern(0, size, true));
        Waits.until(() -> stuck.pendingOutboundBytes() > 0 && stuck.pendingOutboundBytes() < size, Waits.EVENT,
                () -> "the socket never took part of a 16 MiB write; pending " + stuck.pendingOutboundBytes());

        Socket other = h.rawClient(listener.localAddress());
        for (int i = 0; i < 100; i++) {
            byte[] message = Bytes.ascii("round trip " + i);
            other.getOutputStream().write(message);
            Bytes.assertSameBytes(message, Bytes.readExactly(other, message.length), "echo " + i);
        }
        assertThat(Waits.onLoop(single.reactors().getFirst(), () -> "ran")).isEqualTo("ran");
        assertThat(stuck.isOpen()).isTrue();
        assertThat(stuck.pendingOutboundBytes()).as("bytes still queued for the peer that never reads")
                .isPositive();
    }

    void pausedReactorClientPushesBackOnReactorServer() throws IOException {
        WaterMarks marks = new WaterMarks(32 * KIB, 64 * KIB);
        Producer producer = new Producer(16L * MIB, 8 * KIB);
        Accepted accepted = new Accepted(producer::probe);
        Listener listener = h.listen(h.server(), ListenOptions.DEFAULT.withWaterMarks(marks), accepted);
        Probe client = Probe.recording().whenOpened(Connection::pauseReading);
        Connection connection = h.connect(h.client(), listener.localAddress(), client);
        Waits.await(producer.unwritable, "the server turning unwritable while the client does not read");
        assertThat(client.reads()).as("client onRead calls while paused").isZero();

        connection.resumeReading();
        byte[] all = client.awaitReceived((int) producer.total, Waits.TRANSFER);
        client.awaitClose();
        Bytes.readPattern(new ByteArrayInputStream(all), producer.total, () -> {});
        assertThat(producer.maxPendingAfterWrite.get()).isLessThanOrEqualTo(marks.high() + producer.chunk);
        assertAlternating(producer.flips);
        assertThat(producer.flips).contains(false, true);
        client.assertContract();
        accepted.next().assertContract();
    }

    // ---------------------------------------------------------------- helpers

    private static void assertAlternating(List<Boolean> flips) {
        List<Boolean> seen = new ArrayList<>(flips);
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i) != (i % 2 == 1)) {
                throw new AssertionError("writability changes must alternate, starting with false: " + seen);
            }
        }
    }

    /**
     * A well-behaved producer: writes pattern chunks while the connection is writable, flushes, and
     * goes on when told it is writable again; closes once everything is queued. Loop only, except the
     * published results.
     */
    private static final class Producer {
        final long total;
        final int chunk;
        final AtomicLong maxPendingAfterWrite = new AtomicLong();
        final List<Boolean> flips = new CopyOnWriteArrayList<>();
        final CountDownLatch unwritable = new CountDownLatch(1);
        private long queued;
        private boolean pumping;
        private boolean again;
        private boolean closing;

        Producer(long total, int chunk) {
            this.total = total;
            this.chunk = chunk;
        }

        Probe probe() {
            return Probe.recording().whenOpened(this::pump).whenWritabilityChanged((c, writable) -> {
                flips.add(writable);
                if (!writable) {
                    unwritable.countDown();
                } else {
                    pump(c);
                }
            });
        }

        private void pump(Connection c) {
            if (pumping) {
                again = true; // writability came back during our own flush: the outer loop goes on
                return;
            }
            pumping = true;
            try {
                do {
                    again = false;
                    while (c.isWritable() && queued < total) {
                        int size = (int) Math.min(chunk, total - queued);
                        c.write(Bytes.pattern(queued, size, false));
                        queued += size;
                        maxPendingAfterWrite.accumulateAndGet(c.pendingOutboundBytes(), Math::max);
                    }
                    c.flush();
                } while (again);
            } finally {
                pumping = false;
            }
            if (queued >= total && !closing) {
                closing = true;
                c.close();
            }
        }
    }
}
