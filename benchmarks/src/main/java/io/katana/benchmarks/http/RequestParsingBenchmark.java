package io.katana.benchmarks.http;

import io.katana.http.HttpLimits;
import io.katana.http.internal.RequestHead;
import io.katana.http.internal.RequestHeadParser;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The request-head parser alone, in place over a direct buffer as a reactor presents it: no routing,
 * no handler, no response. {@code small} is the shortest valid request (request line and Host),
 * {@code browser} the head a desktop browser sends for a page (about 500 bytes, ten fields);
 * {@code pipelined16} parses sixteen of them out of one read, scoring per request.
 *
 * <p>The parser records offsets and copies nothing, so {@code -prof gc} should show 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RequestParsingBenchmark {

    static final String SMALL = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";

    static final String BROWSER = "GET /articles/2026/reactors-in-java?page=2&sort=new HTTP/1.1\r\n"
            + "Host: www.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-GB,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Referer: https://www.example.com/articles/2026\r\n"
            + "Connection: keep-alive\r\n"
            + "Cookie: session=4f2a9c1e7b3d4e8f9a0b1c2d3e4f5a6b; theme=dark; consent=1\r\n"
            + "Upgrade-Insecure-Requests: 1\r\n"
            + "Sec-Fetch-Dest: document\r\n"
            + "Sec-Fetch-Mode: navigate\r\n"
            + "\r\n";

    static final int PIPELINE = 16;

    /** {@code small}: request line and Host; {@code browser}: a browser's page request. */
    @Param({"small", "browser"})
    public String request;

    private final RequestHeadParser parser = new RequestHeadParser(HttpLimits.DEFAULT);
    private final RequestHead head = new RequestHead();
    private ByteBuffer single;
    private ByteBuffer batch;

    @Setup(Level.Trial)
    public void prepare() {
        String raw = request.equals("small") ? SMALL : BROWSER;
        single = direct(raw);
        batch = direct(raw.repeat(PIPELINE));
        if (parseAll(single) != 1 || parseAll(batch) != PIPELINE) {
            throw new IllegalStateException("the benchmark's requests did not parse: " + parser.errorReason());
        }
    }

    @Benchmark
    public int one() {
        return parseAll(single);
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int pipelined16() {
        return parseAll(batch);
    }

    /** Parses every request head in {@code buf}, one after the other, and returns how many were complete. */
    private int parseAll(ByteBuffer buf) {
        int base = 0;
        int limit = buf.limit();
        int complete = 0;
        while (base < limit) {
            parser.begin(head);
            if (parser.parse(buf, base, limit) != RequestHeadParser.COMPLETE) {
                return -1;
            }
            complete++;
            base += head.length();
        }
        return complete;
    }

    private static ByteBuffer direct(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }
}
