package io.katana.examples;

import io.katana.http.HttpHandler;
import io.katana.http.HttpRequest;
import io.katana.http.HttpResponse;
import io.katana.http.HttpServer;
import io.katana.http.HttpTimeouts;
import io.katana.http.ResponseStream;
import io.katana.http.StaticFiles;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.ReactorGroup;
import io.katana.tls.TlsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The application {@code katana serve} runs, on Katana's HTTP server:
 *
 * <ul>
 *   <li>{@code GET /plaintext}: {@code Hello, World!} as {@code text/plain};
 *   <li>{@code GET /json}: {@code {"message":"Hello, World!"}} as {@code application/json}, the
 *       object serialised for each request (both follow the TechEmpower rules: Server, Date,
 *       Content-Type and Content-Length on every response);
 *   <li>{@code GET /}: {@code OK}; {@code POST /}: the request body echoed;
 *   <li>{@code GET} or {@code POST /echo}: the request's header fields, one {@code Name: Value} a line;
 *   <li>{@code GET /chunked?kb=N}: N KiB (default 1024) streamed as a chunked body with backpressure,
 *       byte {@code i} of the body being {@code i % 251}, so a client can check every byte
 *       ({@link #patternByte(long)});
 *   <li>{@code GET /delay?ms=N}: {@code OK} after N milliseconds (at most 60 000), from a blocking
 *       handler: a request that is in flight for a while, as a graceful shutdown must finish;
 *   <li>anything else: 404 (or 405 with {@code Allow} for a known path).
 * </ul>
 *
 * <p><b>Threading:</b> every handler but {@code /delay}'s answers at once on the reactor thread and
 * none of them blocks; {@code /delay}'s runs on a virtual thread of its own.
 */
public final class ExampleApp {

    private static final String MESSAGE = "Hello, World!";

    /** The modulus of the streamed body's pattern: prime, so no power-of-two chunking lines up with it. */
    private static final int PATTERN_PERIOD = 251;
    private static final int STREAM_CHUNK = 16 * 1024;
    private static final byte[] PATTERN = pattern(STREAM_CHUNK + PATTERN_PERIOD);
    private static final long MAX_STREAM_KIB = 1024 * 1024;
    private static final long MAX_DELAY_MILLIS = 60_000;

    private ExampleApp() {}

    /**
     * Starts serving on {@code address} with {@code group}, default listen options and timeouts.
     *
     * @param group the reactors to serve on; the server never closes them
     * @param address where to listen; port 0 picks a free port
     * @return the started server; closing it stops accepting
     * @throws IOException if the address cannot be bound
     */
    public static HttpServer start(ReactorGroup group, InetSocketAddress address) throws IOException {
        return start(group, address, ListenOptions.DEFAULT, HttpTimeouts.DEFAULT);
    }

    /**
     * Starts serving on {@code address} with {@code group}, the listener's options (a connection limit,
     * say) and the HTTP timeouts given.
     *
     * @param group the reactors to serve on; the server never closes them
     * @param address where to listen; port 0 picks a free port
     * @param listenOptions backlog, connection limit and other socket options of the listener
     * @param timeouts the HTTP timeouts
     * @return the started server; closing it stops accepting
     * @throws IOException if the address cannot be bound
     */
    public static HttpServer start(ReactorGroup group, InetSocketAddress address, ListenOptions listenOptions,
                                   HttpTimeouts timeouts) throws IOException {
        return start(group, address, listenOptions, timeouts, null);
    }

    /**
     * As {@link #start(ReactorGroup, InetSocketAddress, ListenOptions, HttpTimeouts)}, and with {@code
     * staticRoot}'s files under {@code /files/} ({@link StaticFiles#directory}).
     *
     * @param group the reactors to serve on; the server never closes them
     * @param address where to listen; port 0 picks a free port
     * @param listenOptions backlog, connection limit and other socket options of the listener
     * @param timeouts the HTTP timeouts
     * @param staticRoot a folder to serve under {@code /files/}, or null for none
     * @return the started server; closing it stops accepting
     * @throws IOException if the address cannot be bound
     */
    public static HttpServer start(ReactorGroup group, InetSocketAddress address, ListenOptions listenOptions,
                                   HttpTimeouts timeouts, Path staticRoot) throws IOException {
        return start(group, address, listenOptions, timeouts, staticRoot, null);
    }

    /**
     * As {@link #start(ReactorGroup, InetSocketAddress, ListenOptions, HttpTimeouts, Path)}, over HTTPS
     * when {@code tls} is given.
     *
     * @param group the reactors to serve on; the server never closes them
     * @param address where to listen; port 0 picks a free port
     * @param listenOptions backlog, connection limit and other socket options of the listener
     * @param timeouts the HTTP timeouts
     * @param staticRoot a folder to serve under {@code /files/}, or null for none
     * @param tls the TLS server every connection goes through, or null for plain HTTP
     * @return the started server; closing it stops accepting
     * @throws IOException if the address cannot be bound
     */
    public static HttpServer start(ReactorGroup group, InetSocketAddress address, ListenOptions listenOptions,
                                   HttpTimeouts timeouts, Path staticRoot, TlsServer tls) throws IOException {
        HttpHandler echoHeaders = ExampleApp::echoHeaders;
        HttpServer.Builder builder = HttpServer.builder();
        if (tls != null) {
            builder.tls(tls);
        }
        if (staticRoot != null) {
            builder.get("/files/*", StaticFiles.directory(staticRoot));
        }
        return builder
                .group(group)
                .address(address)
                .listenOptions(listenOptions)
                .timeouts(timeouts)
                .get("/plaintext", (request, response) -> response.header("Content-Type", "text/plain").send(MESSAGE))
                .get("/json", (request, response) ->
                        response.header("Content-Type", "application/json").send(jsonObject("message", MESSAGE)))
                .get("/", (request, response) -> response.header("Content-Type", "text/plain").send("OK"))
                .post("/", ExampleApp::echoBody)
                .get("/echo", echoHeaders)
                .post("/echo", echoHeaders)
                .get("/chunked", ExampleApp::streamPattern)
                .get("/delay", HttpHandler.blocking(ExampleApp::delay))
                .start();
    }

    /**
     * {@return byte {@code offset} of a {@code /chunked} body} Lets a client check every byte it
     * received without holding the body.
     *
     * @param offset the byte's position in the body, from 0
     */
    public static byte patternByte(long offset) {
        return (byte) (offset % PATTERN_PERIOD);
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = patternByte(i);
        }
        return bytes;
    }

    private static void streamPattern(HttpRequest request, HttpResponse response) {
        long kib = boundedParam(request, "kb", 1024, MAX_STREAM_KIB);
        response.header("Content-Type", "application/octet-stream");
        new PatternWriter(response.stream(), kib * 1024).run();
    }

    private static void delay(HttpRequest request, HttpResponse response) throws InterruptedException {
        long millis = boundedParam(request, "ms", 1000, MAX_DELAY_MILLIS);
        Thread.sleep(millis);
        response.header("Content-Type", "text/plain").send("OK");
    }

    /** A whole-number query parameter between 0 and {@code max}; the fallback when it is absent or not a number. */
    private static long boundedParam(HttpRequest request, String name, long fallback, long max) {
        String text = request.queryParam(name);
        if (text == null) {
            return fallback;
        }
        try {
            return Math.clamp(Long.parseLong(text.trim()), 0, max);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /**
     * Writes a {@code /chunked} body while the connection is writable and resumes when it is again, so
     * a slow reader holds one queue's worth of the body at most, never all of it.
     */
    private static final class PatternWriter implements Runnable {
        private final ResponseStream stream;
        private final long total;
        private long sent;

        PatternWriter(ResponseStream stream, long total) {
            this.stream = stream;
            this.total = total;
        }

        @Override
        public void run() {
            while (sent < total && stream.isOpen() && stream.isWritable()) {
                int length = (int) Math.min(STREAM_CHUNK, total - sent);
                stream.write(ByteBuffer.wrap(PATTERN, (int) (sent % PATTERN_PERIOD), length));
                sent += length;
            }
            if (sent >= total) {
                stream.close();
            } else if (stream.isOpen()) {
                stream.onWritable(this);
            }
        }
    }

    private static void echoBody(HttpRequest request, HttpResponse response) {
        response.header("Content-Type", "application/octet-stream").send(request.bodyBuffer());
    }

    private static void echoHeaders(HttpRequest request, HttpResponse response) {
        StringBuilder lines = new StringBuilder(256);
        request.headers().forEach((name, value) -> lines.append(name).append(": ").append(value).append('\n'));
        // Field values are opaque octets, read one char per byte: write them back the same way.
        response.header("Content-Type", "text/plain; charset=ISO-8859-1")
                .send(lines.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A one-member JSON object, serialised here rather than pre-rendered. */
    static String jsonObject(String name, String value) {
        StringBuilder json = new StringBuilder(name.length() + value.length() + 8).append('{');
        appendJsonString(json, name);
        json.append(':');
        appendJsonString(json, value);
        return json.append('}').toString();
    }

    private static void appendJsonString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
