package io.katana.benchmarks;

import io.katana.reactor.Connection;
import io.katana.reactor.Listener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
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
 * Ping-pong of a small message over one loopback connection, through the public API only: an echo
 * server on one single-reactor group and a client on another, both of the backend under test. The
 * round trips run on the reactor threads; the JMH thread only starts a batch of {@value #TRIPS} and
 * waits for it. The score is one round trip: two writes, two reads and the loop passes between.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class LoopbackEchoBenchmark {
    static final int TRIPS = 1000;

    /** The server, the client, and the connection between them. */
    @State(Scope.Benchmark)
    public static class Pair {
        @Param({"nio", "epoll-ffm", "io_uring"})
        public String backend;

        @Param({"32"})
        public int messageBytes;

        ReactorFixture server;
        ReactorFixture client;
        Listener listener;
        PingPongClient pingPong;
        Connection connection;

        @Setup(Level.Trial)
        public void open() throws IOException {
            server = ReactorFixture.open(backend);
            client = ReactorFixture.open(backend);
            EchoHandler echo = new EchoHandler();
            listener = server.group().listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> echo);
            pingPong = new PingPongClient(messageBytes);
            connection = ReactorFixture.await(client.group().connect(listener.localAddress(), pingPong));
        }

        @TearDown(Level.Trial)
        public void close() {
            connection.close();
            listener.close();
            client.close();
            server.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(TRIPS)
    public void pingPong(Pair pair) {
        ReactorFixture.await(pair.pingPong.start(pair.connection, TRIPS));
    }
}
