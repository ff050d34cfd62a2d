package io.katana.benchmarks;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.Listener;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ways a protocol hands a message to a connection, on the reactor thread, per message:
 *
 * <ul>
 *   <li>{@code copyViaScratch}: the old path with a reused scratch buffer: encode into it, then {@code
 *       write} copies it into the outbound queue (two copies, no allocation);
 *   <li>{@code copyViaNewBuffer}: the old path as often written: encode into a fresh heap buffer, then
 *       {@code write} copies it (two copies and an allocation);
 *   <li>{@code encodeInPlace}: {@code write(maxBytes, encoder)}: the encoder writes straight into the
 *       queue's off-heap chunk (one copy);
 *   <li>{@code shareReadOnly}: {@code writeShared} of a read-only direct buffer holding the encoded
 *       message (no copy; the queue references it until sent).
 * </ul>
 *
 * Each invocation queues {@value #BATCH} messages on the reactor thread, flushes once and waits until
 * the socket has taken everything (a peer thread drains it), so the score per message includes the
 * hand-off and the send, the same for every variant.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class WritePathBenchmark {
    static final int BATCH = 256;

    /** A one-reactor group, a connection to a peer thread that reads and discards, and the message. */
    @State(Scope.Benchmark)
    public static class Sink {
        @Param({"epoll-ffm", "nio"})
        public String backend;

        /** Bytes per message: a small response, and a body worth sharing. */
        @Param({"128", "16384"})
        public int size;

        ReactorFixture fixture;
        Listener listener;
        Connection connection;
        Socket peer;
        Thread drain;
        byte[] message;
        ByteBuffer scratch;
        ByteBuffer shared;
        Consumer<ByteBuffer> encoder;
        Runnable copyViaScratch;
        Runnable copyViaNewBuffer;
        Runnable encodeInPlace;
        Runnable shareReadOnly;

        @Setup(Level.Trial)
        public void open() throws Exception {
            message = new byte[size];
            for (int i = 0; i < size; i++) {
                message[i] = (byte) ('a' + i % 26);
            }
            scratch = ByteBuffer.allocate(size);
            shared = ByteBuffer.allocateDirect(size).put(message).flip().asReadOnlyBuffer();
            fixture = ReactorFixture.open(backend);
            CompletableFuture<Connection> accepted = new CompletableFuture<>();
            listener = fixture.group().listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    () -> new ConnectionHandler() {
                        @Override
                        public void onOpen(Connection c) {
                            accepted.complete(c);
                        }

                        @Override
                        public void onRead(Connection c, ByteBuffer data) {
                            data.position(data.limit());
                        }
                    });
            peer = new Socket();
            peer.setReceiveBufferSize(4 << 20);
            peer.connect(listener.localAddress());
            connection = ReactorFixture.await(accepted);
            drain = Thread.ofPlatform().daemon().name("bench-drain").start(() -> {
                byte[] sink = new byte[1 << 20];
                try (InputStream in = peer.getInputStream()) {
                    while (in.read(sink) >= 0) {
                        // discard
                    }
                } catch (Exception ignored) {
                    // closed at tear-down
                }
            });
            encoder = buffer -> buffer.put(message);
            Connection c = connection;
            copyViaScratch = () -> {
                for (int i = 0; i < BATCH; i++) {
                    scratch.clear();
                    scratch.put(message).flip();
                    c.write(scratch);
                }
                c.flush();
            };
            copyViaNewBuffer = () -> {
                for (int i = 0; i < BATCH; i++) {
                    ByteBuffer fresh = ByteBuffer.allocate(message.length);
                    fresh.put(message).flip();
                    c.write(fresh);
                }
                c.flush();
            };
            encodeInPlace = () -> {
                for (int i = 0; i < BATCH; i++) {
                    c.write(message.length, encoder);
                }
                c.flush();
            };
            shareReadOnly = () -> {
                for (int i = 0; i < BATCH; i++) {
                    c.writeShared(shared.duplicate());
                }
                c.flush();
            };
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            connection.abort();
            peer.close();
            drain.join(5_000);
            listener.close();
            fixture.close();
        }

        void run(Runnable batch) {
            fixture.onLoop(batch);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (connection.pendingOutboundBytes() > 0) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the peer did not drain within 60 s");
                }
                Thread.onSpinWait();
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void copyViaScratch(Sink sink) {
        sink.run(sink.copyViaScratch);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void copyViaNewBuffer(Sink sink) {
        sink.run(sink.copyViaNewBuffer);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void encodeInPlace(Sink sink) {
        sink.run(sink.encodeInPlace);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void shareReadOnly(Sink sink) {
        sink.run(sink.shareReadOnly);
    }
}
