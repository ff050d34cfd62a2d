package io.katana.benchmarks.http;

import io.katana.http.HttpServer;
import io.katana.reactor.ConnectionHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * The HTTP server's hot path without sockets: a typical keep-alive {@code GET /plaintext} request
 * (the headers wrk sends in the TechEmpower plaintext test) handed to the server's connection
 * handler in a direct buffer, as a reactor hands it over: parse in place, route, run the handler,
 * render {@code Hello, World!} with Server, Date, Content-Type and Content-Length, copy it into the
 * stub connection's outbound buffer, flush. Run with {@code -prof gc}: the allocation rate per
 * operation is the point (the goal is at most 64 B/op, ideally 0).
 *
 * <p>{@code pipelined16} hands over 16 such requests in one read, as {@code wrk -s pipeline.lua} or
 * {@code h2load -m 16} send them; its score is per request. {@code composition} adds filters around
 * the route, to show what they cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HttpPlaintextBenchmark {

    static final String REQUEST = "GET /plaintext HTTP/1.1\r\n"
            + "Host: server\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Gecko/20130501 Firefox/30.0 AppleWebKit/600.00"
            + " Chrome/30.0.0000.0 Trident/10.0 Safari/600.00\r\n"
            + "Cookie: uid=12345678901234567890; __utma=1.1234567890.1234567890.1234567890.1234567890.12;"
            + " wd=2560x1600\r\n"
            + "Accept: text/plain,text/html;q=0.9,application/xhtml+xml;q=0.9,application/xml;q=0.8,*/*;q=0.7\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Connection: keep-alive\r\n"
            + "\r\n";

    /** The smallest valid request, to tell the cost of scanning header fields from the rest. */
    static final String MINIMAL_REQUEST = "GET /plaintext HTTP/1.1\r\nHost: server\r\n\r\n";

    static final int PIPELINE = 16;

    /** One connection of a plaintext server, and the request bytes as a reactor would present them. */
    @State(Scope.Thread)
    public static class Connection {
        /** {@code techempower}: the headers wrk sends in the plaintext test (390 bytes); {@code minimal}: Host only. */
        @Param({"techempower", "minimal"})
        public String request;

        /**
         * What surrounds the route: {@code none}; {@code filters}, a before-filter and an around filter
         * (both setting a header); {@code after}, those plus an after-filter, which makes the server
         * wrap each response.
         */
        @Param({"none", "filters", "after"})
        public String composition;

        StubConnection connection;
        ConnectionHandler handler;
        ByteBuffer single;
        ByteBuffer pipelined;

        @Setup(Level.Trial)
        public void open() {
            HttpServer.Builder builder = HttpServer.builder();
            if (!composition.equals("none")) {
                builder.before((request, response) -> response.header("X-Before", "1"))
                        .filter((request, response, next) -> {
                            response.header("X-Around", "1");
                            next.handle(request, response);
                        });
            }
            if (composition.equals("after")) {
                builder.after((request, response) -> response.header("X-After", "1"));
            }
            HttpServer server = builder
                    .get("/plaintext", (request, response) -> response.header("Content-Type", "text/plain").send("Hello, World!"))
                    .build();
            connection = new StubConnection();
            handler = server.newConnectionHandler();
            handler.onOpen(connection);
            String raw = request.equals("minimal") ? MINIMAL_REQUEST : REQUEST;
            single = direct(raw);
            pipelined = direct(raw.repeat(PIPELINE));
            checkResponses(single, 1);
            checkResponses(pipelined, PIPELINE);
        }

        private void checkResponses(ByteBuffer requests, int expected) {
            long before = connection.flushedBytes;
            requests.clear();
            handler.onRead(connection, requests);
            if (requests.hasRemaining()) {
                throw new IllegalStateException("the server left request bytes unconsumed");
            }
            long sent = connection.flushedBytes - before;
            long oneResponse = sent / expected;
            if (sent % expected != 0 || oneResponse < 100 || oneResponse > 200) {
                throw new IllegalStateException("unexpected response size: " + sent + " bytes for " + expected);
            }
        }

        @TearDown(Level.Trial)
        public void check() {
            if (connection.flushes == 0) {
                throw new IllegalStateException("nothing was written");
            }
            // The idle deadline moves with every request, but the armed timer is not re-scheduled.
            int timers = ((StubReactor) connection.reactor()).scheduled;
            if (timers > 1) {
                throw new IllegalStateException(timers + " timers scheduled for " + connection.flushes + " reads");
            }
        }
    }

    private static ByteBuffer direct(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    @Benchmark
    public long plaintext(Connection state) {
        ByteBuffer request = state.single;
        request.clear();
        state.handler.onRead(state.connection, request);
        return state.connection.flushedBytes;
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public long pipelined16(Connection state) {
        ByteBuffer requests = state.pipelined;
        requests.clear();
        state.handler.onRead(state.connection, requests);
        return state.connection.flushedBytes;
    }
}
