package io.katana.conformance;

import static io.katana.conformance.Bytes.KIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.katana.reactor.Connection;
import io.katana.reactor.KeptInputLimitException;
import io.katana.reactor.Listener;
import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.ReactorLocal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a protocol author no longer writes by hand: a value per reactor ({@link ReactorLocal}), {@code
 * isInputClosed()}, a bound on kept input with a clear close reason, and writes that do not copy
 * twice (an encoder writing into the outbound queue, a shared buffer sent by reference).
 */
final class ApiAdditionChecks {

    private final Harness h;

    ApiAdditionChecks(Harness harness) {
        this.h = harness;
    }

    void reactorLocalIsOneValuePerReactor() throws IOException {
        AtomicInteger made = new AtomicInteger();
        ReactorLocal<Object> local = ReactorLocal.withInitial(() -> "value " + made.incrementAndGet());
        Map<String, Object> seen = new ConcurrentHashMap<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        List<Scripted> handlers = new CopyOnWriteArrayList<>();
        ReactorGroup group = h.server(); // two reactors
        Listener listener = h.listen(group, () -> {
            Scripted handler = new Scripted().whenOpened(c -> {
                Object value = local.get(c);
                if (value != local.get(c.reactor())) {
                    problems.add("get(connection) and get(reactor) differ on " + c.reactor().name());
                }
                Object earlier = seen.putIfAbsent(c.reactor().name(), value);
                if (earlier != null && earlier != value) {
                    problems.add(c.reactor().name() + " gave two values: " + earlier + " and " + value);
                }
            });
            handlers.add(handler);
            return handler;
        });
        for (int i = 0; i < 8; i++) {
            h.rawClient(listener.localAddress());
        }
        Waits.until(() -> handlers.size() == 8 && handlers.stream().allMatch(s -> !s.log().isEmpty()), Waits.EVENT,
                () -> "8 connections opened");
        assertThat(problems).isEmpty();
        assertThat(seen).as("reactors that served a connection").hasSize(group.reactors().size());
        assertThat(made.get()).as("values made: one per reactor").isEqualTo(group.reactors().size());
        assertThat(seen.values().stream().distinct().count()).as("distinct values").isEqualTo(seen.size());
        Reactor reactor = group.reactors().getFirst();
        assertThatThrownBy(() -> local.get(reactor)).as("get off the reactor thread")
                .isInstanceOf(IllegalStateException.class);
    }

    void isInputClosedFollowsTheEndOfStream() throws IOException {
        List<Boolean> duringInputClosed = new CopyOnWriteArrayList<>();
        Scripted server = new Scripted().whenInputClosed(c -> duringInputClosed.add(c.isInputClosed()));
        Listener listener = h.listen(h.server(), () -> server);
        Socket peer = h.rawClient(listener.localAddress());
        Connection connection = server.awaitOpen();
        peer.getOutputStream().write(Bytes.ascii("data"));
        server.awaitLog(log -> log.contains("read:data"), "onRead");
        assertThat(connection.isInputClosed()).as("isInputClosed before the FIN").isFalse();
        peer.shutdownOutput();
        // Scripted logs the event before it runs the action: wait for the action's own record.
        Waits.until(() -> !duringInputClosed.isEmpty(), Waits.EVENT, () -> "onInputClosed");
        assertThat(duringInputClosed).as("isInputClosed inside onInputClosed").containsExactly(true);
        assertThat(connection.isInputClosed()).as("isInputClosed after onInputClosed").isTrue();
        assertThat(connection.isOpen()).as("still open: the handler did not close").isTrue();
        connection.close();
        server.awaitClose("onClose");
        assertThat(connection.isInputClosed()).as("isInputClosed after close").isTrue();
    }

    void keptInputOverTheLimitClosesWithAClearReason() throws IOException {
        int limit = 64 * KIB;
        ReactorGroup group = h.openServer(config -> config.withMaxKeptInputBytes(limit));
        List<Scripted> handlers = new CopyOnWriteArrayList<>();
        Listener listener = h.listen(group, () -> {
            Scripted keeper = new Scripted().whenRead((c, data) -> {}); // waits for a frame that never ends
            handlers.add(keeper);
            return keeper;
        });
        Socket within = h.rawClient(listener.localAddress());
        within.getOutputStream().write(new byte[limit]); // exactly the limit: allowed
        Waits.until(() -> handlers.size() == 1, Waits.EVENT, () -> "the first connection");
        Scripted first = handlers.getFirst();
        first.awaitLog(log -> log.stream().anyMatch(l -> l.startsWith("read:") && l.length() == 5 + limit),
                "onRead presenting all " + limit + " kept bytes");
        assertThat(first.isClosed()).as("a connection keeping exactly the limit").isFalse();

        Socket over = h.rawClient(listener.localAddress());
        over.getOutputStream().write(new byte[limit + 1]);
        Waits.until(() -> handlers.size() == 2, Waits.EVENT, () -> "the second connection");
        Throwable cause = handlers.get(1).awaitClose("onClose of a connection keeping more than the limit");
        assertThat(cause).isInstanceOf(KeptInputLimitException.class);
        KeptInputLimitException limitCause = (KeptInputLimitException) cause;
        assertThat(limitCause.limit()).isEqualTo(limit);
        assertThat(limitCause.kept()).isGreaterThan(limit);
        assertThat(cause.getMessage()).as("the close reason")
                .contains(String.valueOf(limit), String.valueOf(limitCause.kept()), "withMaxKeptInputBytes");
        assertThat(first.isClosed()).as("the connection within the limit").isFalse();
    }

    void encodedWritesArriveWholeAndInOrder() throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Scripted server = new Scripted().whenOpened(c -> {
            long offset = 0;
            int[] sizes = {1, 100, 0, 5000, 16 * KIB, 40 * KIB, 3, 16 * KIB - 7, 70 * KIB};
            for (int round = 0; round < 20; round++) {
                for (int size : sizes) {
                    long start = offset;
                    int n = c.write(size + 16, buffer -> buffer.put(Bytes.pattern(start, size, false)));
                    if (n != size) {
                        problems.add("write(maxBytes, encoder) returned " + n + " for " + size + " bytes");
                    }
                    offset += size;
                    // An encoder that throws, or steps outside its room, queues nothing.
                    try {
                        c.write(64, buffer -> {
                            buffer.put((byte) 'X');
                            throw new IllegalArgumentException("encoder failure");
                        });
                        problems.add("an encoder's exception was swallowed");
                    } catch (IllegalArgumentException expectedFailure) {
                        // as documented
                    }
                    try {
                        c.write(8, buffer -> buffer.position(0));
                        problems.add("an encoder that moved the position back was accepted");
                    } catch (IllegalStateException expectedFailure) {
                        // as documented
                    }
                    c.write(Bytes.pattern(offset, 7, round % 2 == 0)); // the copying write, interleaved
                    offset += 7;
                }
            }
            c.flush();
            synchronized (expected) {
                expected.writeBytes(Bytes.remaining(Bytes.pattern(0, (int) offset, false)));
            }
            done.set(true);
        });
        Listener listener = h.listen(h.server(), () -> server);
        Socket peer = h.rawClient(listener.localAddress());
        Connection connection = server.awaitOpen();
        Waits.until(done::get, Waits.EVENT, () -> "onOpen's writes");
        int onLoop;
        synchronized (expected) {
            onLoop = expected.size();
        }
        byte[] offLoop = Bytes.ascii("written by an encoder off the reactor thread");
        assertThat(connection.write(100, buffer -> buffer.put(offLoop))).isEqualTo(offLoop.length);
        connection.flush();
        byte[] received = Bytes.readExactly(peer, onLoop + offLoop.length);
        Bytes.assertSameBytes(Bytes.remaining(Bytes.pattern(0, onLoop, false)),
                java.util.Arrays.copyOf(received, onLoop), "bytes encoded on the reactor thread");
        Bytes.assertSameBytes(offLoop, java.util.Arrays.copyOfRange(received, onLoop, received.length),
                "bytes encoded off the reactor thread");
        assertThat(problems).isEmpty();
        // The loop lowers the count after its send returns, which may be after the peer has read.
        Waits.until(() -> connection.pendingOutboundBytes() == 0, Waits.EVENT,
                () -> "pending outbound bytes back to 0, still " + connection.pendingOutboundBytes());
    }

    void sharedBuffersAreSentByReference() throws IOException {
        ByteBuffer shared = Bytes.pattern(0, 40 * KIB, true).asReadOnlyBuffer();
        ByteBuffer heap = Bytes.pattern(0, 3 * KIB, false);
        List<String> problems = new CopyOnWriteArrayList<>();
        List<Scripted> handlers = new ArrayList<>();
        Scripted server = new Scripted().whenOpened(c -> {
            for (int i = 0; i < 50; i++) {
                ByteBuffer view = shared.duplicate();
                c.writeShared(view);
                if (view.hasRemaining()) {
                    problems.add("writeShared left the caller's position at " + view.position());
                }
                c.write(Bytes.asciiBuffer("|"));
            }
            c.writeShared(heap.duplicate()); // copied: a heap buffer has no address
            c.flush();
        });
        handlers.add(server);
        Listener listener = h.listen(h.server(), () -> server);
        Socket peer = h.rawClient(listener.localAddress());
        Connection connection = server.awaitOpen();
        ByteBuffer offLoop = shared.duplicate();
        connection.writeShared(offLoop);
        assertThat(offLoop.hasRemaining()).as("position after writeShared off the reactor thread").isFalse();
        connection.flush();

        byte[] block = Bytes.remaining(shared.duplicate());
        for (int i = 0; i < 50; i++) {
            Bytes.assertSameBytes(block, Bytes.readExactly(peer, block.length), "shared block " + i);
            assertThat(Bytes.ascii(Bytes.readExactly(peer, 1))).isEqualTo("|");
        }
        Bytes.assertSameBytes(Bytes.remaining(heap.duplicate()), Bytes.readExactly(peer, heap.remaining()),
                "a heap buffer given to writeShared");
        Bytes.assertSameBytes(block, Bytes.readExactly(peer, block.length), "shared block written off the loop");
        assertThat(shared.position()).as("the shared buffer's own position").isZero();
        assertThat(problems).isEmpty();
        Waits.until(() -> connection.pendingOutboundBytes() == 0, Waits.EVENT, () -> "the queue drained");
    }
}
