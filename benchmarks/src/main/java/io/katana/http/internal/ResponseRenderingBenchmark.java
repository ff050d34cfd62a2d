package io.katana.http.internal;

import io.katana.http.HttpLimits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Response rendering alone: the status line and header fields a handler set, with {@code Server},
 * {@code Date} and {@code Content-Length} added, and the body, encoded into the reactor thread's
 * encoder exactly as the server does before its one write. No parsing, no socket.
 *
 * <p>It lives in the server's internal package (in this module, on the class path) because the
 * encoding steps are package-private: the server's API offers no way to render without a connection.
 * {@code plaintext} is the TechEmpower response; {@code streamedHead} the head of a chunked response.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ResponseRenderingBenchmark {

    private static final String BODY = "Hello, World!";
    private static final byte[] SERVER_LINE = "Server: katana\r\n".getBytes(StandardCharsets.US_ASCII);

    private final RequestHead head = new RequestHead();
    // Rendering never touches the connection; only sending does.
    private final ServerResponse response = new ServerResponse(null);
    private final ResponseEncoder encoder = new ResponseEncoder(256);

    @Setup(Level.Trial)
    public void parseRequest() {
        byte[] raw = "GET /plaintext HTTP/1.1\r\nHost: server\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        RequestHeadParser parser = new RequestHeadParser(HttpLimits.DEFAULT);
        parser.begin(head);
        if (parser.parse(ByteBuffer.wrap(raw), 0, raw.length) != RequestHeadParser.COMPLETE) {
            throw new IllegalStateException("the benchmark's request did not parse: " + parser.errorReason());
        }
        head.detach();
        String rendered = new String(plaintext().toArray(), StandardCharsets.US_ASCII);
        if (!rendered.startsWith("HTTP/1.1 200 OK\r\n") || !rendered.contains("\r\nContent-Length: 13\r\n")
                || !rendered.endsWith("\r\n\r\n" + BODY)) {
            throw new IllegalStateException("unexpected rendering:\n" + rendered);
        }
    }

    @Benchmark
    public ResponseEncoder plaintext() {
        response.begin(head);
        response.header("Content-Type", "text/plain");
        int length = ResponseEncoder.utf8Length(BODY);
        ResponseEncoder out = encoder.reset();
        response.encodeHead(out, length, ServerResponse.defaultContentType(true), SERVER_LINE);
        return out.putUtf8(BODY, length);
    }

    @Benchmark
    public ResponseEncoder streamedHead() {
        response.begin(head);
        response.header("Content-Type", "application/x-ndjson");
        ResponseEncoder out = encoder.reset();
        response.encodeHead(out, -1, null, SERVER_LINE);
        return out;
    }
}
