package io.katana.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.Connection;
import io.katana.reactor.Listener;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kept (unconsumed) input around pauses and the end of stream: whatever the pause history, bytes a
 * handler left unconsumed are presented again after {@code resumeReading}, without waiting for new
 * input, and always before {@code onInputClosed}. Each check is one sequence of pauses, resumes and a
 * FIN that once lost or stranded the kept bytes.
 */
final class KeptInputChecks {

    private static final String MESSAGE = "hello world";

    private final Harness h;

    KeptInputChecks(Harness harness) {
        this.h = harness;
    }

    /**
     * The peer sends "hello world" and FIN; the handler consumes 1 byte and pauses; 200 ms later the
     * test resumes. The 10 kept bytes must come before onInputClosed, whose default then closes.
     */
    void keptBytesComeBeforeEndOfStreamAfterAPause() throws IOException {
        Scripted server = new Scripted().whenRead(consumeOneAndPauseThen(1, Integer.MAX_VALUE));
        Socket peer = connect(server);
        peer.getOutputStream().write(Bytes.ascii(MESSAGE));
        peer.shutdownOutput();
        Connection connection = server.awaitOpen();
        server.awaitLog(log -> log.stream().anyMatch(l -> l.startsWith("read:")), "the first onRead");
        resumeFromATimer(connection, 200);
        assertThat(server.awaitClose("onClose after resumeReading")).as("cause").isNull();
        assertThat(server.consumed()).as("bytes consumed before the connection closed; callbacks " + server.log())
                .isEqualTo(MESSAGE);
        assertKeptBytesBeforeEndOfStream(server);
    }

    /**
     * As above, but the handler consumes 1 byte and pauses at the first two presentations: after each
     * resume the kept bytes come again, and the connection neither hangs nor loses them.
     */
    void keptBytesSurviveTwoPausesBeforeEndOfStream() throws IOException {
        Scripted server = new Scripted().whenRead(consumeOneAndPauseThen(2, Integer.MAX_VALUE));
        Socket peer = connect(server);
        peer.getOutputStream().write(Bytes.ascii(MESSAGE));
        peer.shutdownOutput();
        Connection connection = server.awaitOpen();
        server.awaitLog(log -> !server.log("read:").isEmpty(), "the first onRead");
        resumeFromATimer(connection, 200);
        server.awaitLog(log -> server.log("read:").size() >= 2,
                "the kept bytes presented again after the first resumeReading");
        resumeFromATimer(connection, 200);
        assertThat(server.awaitClose("onClose after the second resumeReading")).as("cause").isNull();
        assertThat(server.consumed()).as("bytes consumed; callbacks " + server.log()).isEqualTo(MESSAGE);
        assertKeptBytesBeforeEndOfStream(server);
    }

    /**
     * The handler consumes 1 byte, then pauses and resumes inside the same onRead, and no more bytes
     * arrive: the kept bytes are presented again at once, not when new input happens to come.
     */
    void pauseAndResumeInsideOneOnReadPresentsKeptBytesAgain() throws IOException {
        AtomicInteger presentations = new AtomicInteger();
        Scripted server = new Scripted().whenRead((c, data) -> {
            if (presentations.incrementAndGet() == 1) {
                data.get();
                c.pauseReading();
                c.resumeReading();
            } else {
                data.position(data.limit());
            }
        });
        Socket peer = connect(server);
        peer.getOutputStream().write(Bytes.ascii(MESSAGE));
        server.awaitLog(log -> server.log("read:").size() >= 2,
                "the kept bytes presented again after pause and resume within one onRead, with no new input");
        assertThat(server.log("read:")).as("presentations").startsWith("read:" + MESSAGE, "read:ello world");
        assertThat(server.consumed()).isEqualTo(MESSAGE);
        peer.shutdownOutput();
        assertThat(server.awaitClose("onClose after the peer's FIN")).isNull();
        assertKeptBytesBeforeEndOfStream(server);
    }

    /**
     * The handler consumes 1 byte and pauses; only then does the peer's FIN arrive. Nothing is
     * reported while paused; after resumeReading the kept bytes come first, then onInputClosed.
     */
    void finWhilePausedWaitsBehindKeptBytes() throws IOException {
        Scripted server = new Scripted().whenRead(consumeOneAndPauseThen(1, Integer.MAX_VALUE));
        Socket peer = connect(server);
        peer.getOutputStream().write(Bytes.ascii(MESSAGE));
        Connection connection = server.awaitOpen();
        server.awaitLog(log -> !server.log("read:").isEmpty(), "the first onRead");
        assertThat(connection.isReadingPaused()).isTrue();
        peer.shutdownOutput();
        Waits.sleep(Duration.ofMillis(300)); // the FIN arrives while reading is paused
        assertThat(server.log()).as("callbacks while paused with kept bytes").doesNotContain("inputClosed");
        resumeFromATimer(connection, 1);
        assertThat(server.awaitClose("onClose after resumeReading")).isNull();
        assertThat(server.consumed()).as("bytes consumed; callbacks " + server.log()).isEqualTo(MESSAGE);
        assertKeptBytesBeforeEndOfStream(server);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Resumes from a timer on the connection's reactor, as a handler that waits a while would: a timer
     * runs on the loop between its tasks and its poll, the order in which end of stream could overtake
     * the kept bytes.
     */
    private static void resumeFromATimer(Connection connection, long millis) {
        connection.reactor().schedule(Duration.ofMillis(millis), connection::resumeReading);
    }

    private Socket connect(Scripted server) throws IOException {
        Listener listener = h.listen(h.server(), () -> server);
        return h.rawClient(listener.localAddress());
    }

    /**
     * At each of the first {@code pausing} presentations: consume one byte and pause. Later ones
     * consume everything (up to {@code consumeLater} bytes).
     */
    private static java.util.function.BiConsumer<Connection, java.nio.ByteBuffer> consumeOneAndPauseThen(
            int pausing, int consumeLater) {
        AtomicInteger presentations = new AtomicInteger();
        return (c, data) -> {
            if (presentations.incrementAndGet() <= pausing) {
                data.get();
                c.pauseReading();
            } else {
                data.position(data.position() + Math.min(consumeLater, data.remaining()));
            }
        };
    }

    private static void assertKeptBytesBeforeEndOfStream(Scripted server) {
        List<String> log = server.log();
        int inputClosed = log.indexOf("inputClosed");
        assertThat(inputClosed).as("onInputClosed came; callbacks " + log).isNotNegative();
        assertThat(log.subList(inputClosed, log.size()).stream().noneMatch(l -> l.startsWith("read:")))
                .as("no onRead after onInputClosed; callbacks " + log).isTrue();
        assertThat(server.overlaps()).as("callbacks that began inside another").isEmpty();
    }
}
