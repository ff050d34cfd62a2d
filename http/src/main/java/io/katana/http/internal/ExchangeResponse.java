package io.katana.http.internal;

import io.katana.http.Gzip;
import io.katana.http.HttpHandler;
import io.katana.http.HttpMethod;
import io.katana.http.HttpRequest;
import io.katana.http.HttpResponse;
import io.katana.http.ResponseStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response handlers of a composed route see: it runs the after-filters just before the head is
 * sent (the status is final, header fields may still change), compresses with gzip when the client
 * and the content qualify, and writes the access log line; then hands the result to the server's
 * response.
 *
 * <p><b>Threading:</b> as {@link HttpResponse}: the after-filters, compression and log line run on
 * the thread that sends.
 */
final class ExchangeResponse implements HttpResponse {

    private static final Logger LOG = LoggerFactory.getLogger(ExchangeResponse.class);

    private final HttpRequest request;
    private final ServerResponse delegate;
    private final ResponseFeatures features;
    private final long arrivalMillis;
    private boolean inAfters;

    ExchangeResponse(HttpRequest request, ServerResponse delegate, ResponseFeatures features) {
        this.request = request;
        this.delegate = delegate;
        this.features = features;
        this.arrivalMillis = features.accessLog() == null ? 0 : System.currentTimeMillis();
    }

    /** {@return the server's response under {@code response}, or null when it is a filter's own wrapper} */
    static ServerResponse unwrap(HttpResponse response) {
        if (response instanceof ServerResponse server) {
            return server;
        }
        return response instanceof ExchangeResponse exchange ? exchange.delegate : null;
    }

    @Override
    public HttpResponse status(int code) {
        delegate.status(code);
        return this;
    }

    @Override
    public int status() {
        return delegate.status();
    }

    @Override
    public HttpResponse header(String name, String value) {
        delegate.header(name, value);
        return this;
    }

    @Override
    public HttpResponse addHeader(String name, String value) {
        delegate.addHeader(name, value);
        return this;
    }

    @Override
    public String header(String name) {
        return delegate.header(name);
    }

    @Override
    public boolean isCommitted() {
        return delegate.isCommitted();
    }

    @Override
    public void send() {
        prepare();
        String line = logLine(0);
        delegate.send();
        log(line);
    }

    @Override
    public void send(String body) {
        Objects.requireNonNull(body, "body");
        prepare();
        int length = ResponseEncoder.utf8Length(body);
        if (gzipQualifies(ServerResponse.defaultContentType(true), length) && acceptsGzip()) {
            sendGzipped(body.getBytes(StandardCharsets.UTF_8), ServerResponse.defaultContentType(true));
            return;
        }
        String line = logLine(length);
        delegate.send(body);
        log(line);
    }

    @Override
    public void send(byte[] body) {
        Objects.requireNonNull(body, "body");
        prepare();
        if (gzipQualifies(ServerResponse.defaultContentType(false), body.length) && acceptsGzip()) {
            sendGzipped(body, ServerResponse.defaultContentType(false));
            return;
        }
        String line = logLine(body.length);
        delegate.send(body);
        log(line);
    }

    @Override
    public void send(ByteBuffer body) {
        Objects.requireNonNull(body, "body");
        prepare();
        if (gzipQualifies(ServerResponse.defaultContentType(false), body.remaining()) && acceptsGzip()) {
            byte[] copy = new byte[body.remaining()];
            body.get(body.position(), copy);
            sendGzipped(copy, ServerResponse.defaultContentType(false));
            return;
        }
        String line = logLine(body.remaining());
        delegate.send(body);
        log(line);
    }

    private void sendGzipped(byte[] body, String defaultContentType) {
        if (delegate.header("Content-Type") == null) {
            delegate.header("Content-Type", defaultContentType); // the compressed bytes would default to octet-stream
        }
        markGzipped();
        byte[] compressed = GzipEncoder.compress(ByteBuffer.wrap(body), features.gzip().level());
        String line = logLine(compressed.length);
        delegate.send(compressed);
        log(line);
    }

    /**
     * Sends the file as it is on disk: never compressed, so ranges stay ranges of the file and the
     * bytes can go from the page cache to the socket.
     */
    @Override
    public void sendFile(Path file, long position, long count) throws IOException {
        Objects.requireNonNull(file, "file");
        prepare();
        String line = logLine(count);
        delegate.sendFile(file, position, count);
        log(line);
    }

    @Override
    public ResponseStream stream() {
        prepare();
        AccessLog accessLog = features.accessLog();
        String logHead = accessLog == null ? null : accessLog.head(request, arrivalMillis);
        GzipEncoder encoder = null;
        if (gzipQualifies(null, Long.MAX_VALUE) && acceptsGzip()) {
            markGzipped();
            encoder = new GzipEncoder(features.gzip().level());
        }
        String logTail = accessLog == null ? null : accessLog.tail(request);
        ResponseStream raw = delegate.stream();
        if (encoder == null && logHead == null) {
            return raw;
        }
        return new ExchangeStream(raw, encoder, features.accessLog(), logHead, delegate.status(), logTail,
                countsBody());
    }

    @Override
    public ResponseStream stream(long contentLength) {
        // A declared length is the body's own: it cannot be gzipped, whose length is known only at the end.
        prepare();
        AccessLog accessLog = features.accessLog();
        String logHead = accessLog == null ? null : accessLog.head(request, arrivalMillis);
        String logTail = accessLog == null ? null : accessLog.tail(request);
        ResponseStream raw = delegate.stream(contentLength);
        if (logHead == null) {
            return raw;
        }
        return new ExchangeStream(raw, null, accessLog, logHead, delegate.status(), logTail, countsBody());
    }

    @Override
    public HttpResponse onAbandoned(Consumer<Throwable> action) {
        delegate.onAbandoned(action);
        return this;
    }

    @Override
    public boolean isAbandoned() {
        return delegate.isAbandoned();
    }

    /** Runs the after-filters once the response is about to leave; they may change status and headers. */
    private void prepare() {
        if (inAfters) {
            throw new IllegalStateException("an after-filter may change the status and header fields, but not send");
        }
        if (delegate.isAbandoned()) {
            return; // nothing leaves: the server's response drops the answer and says so
        }
        if (delegate.isCommitted()) {
            throw new IllegalStateException("the response was already sent");
        }
        HttpHandler[] afters = features.afters();
        if (afters.length == 0) {
            return;
        }
        inAfters = true;
        try {
            for (HttpHandler after : afters) {
                try {
                    after.handle(request, this);
                } catch (Throwable t) {
                    // The answer is decided: a failing after-filter must not turn it into another.
                    LOG.error("after-filter {} for {} {} threw {}; the response goes on", after, request.method(),
                            request.target(), t.toString());
                    LOG.debug("stack trace of the after-filter's failure", t);
                }
            }
        } finally {
            inAfters = false;
        }
    }

    /**
     * Whether the type and size call for gzip. When they do, caches are told the answer varies with
     * {@code Accept-Encoding}, whether or not this client gets it compressed.
     */
    private boolean gzipQualifies(String defaultContentType, long length) {
        Gzip gzip = features.gzip();
        if (gzip == null || !countsBody() || delegate.header("Content-Encoding") != null || length < gzip.minSize()) {
            return false;
        }
        String type = delegate.header("Content-Type");
        if (!gzip.compresses(type != null ? type : defaultContentType)) {
            return false;
        }
        delegate.addHeader("Vary", "Accept-Encoding");
        return true;
    }

    private boolean acceptsGzip() {
        return AcceptEncoding.acceptsGzip(request.headers().getAll("Accept-Encoding"));
    }

    private void markGzipped() {
        delegate.header("Content-Encoding", "gzip");
        String etag = delegate.header("ETag");
        if (etag != null && !etag.startsWith("W/")) {
            delegate.header("ETag", "W/" + etag); // the compressed bytes are not the ones the strong tag named
        }
    }

    /** Whether this response carries a body at all: not to HEAD, and not a 204 or 304. */
    private boolean countsBody() {
        return request.method() != HttpMethod.HEAD && !StatusLines.forbidsContent(delegate.status());
    }

    /** The access log's line, made before sending: afterwards the request may be reused. Null when the log is off. */
    private String logLine(long bodyLength) {
        AccessLog accessLog = features.accessLog();
        if (accessLog == null) {
            return null;
        }
        return accessLog.line(accessLog.head(request, arrivalMillis), delegate.status(), countsBody() ? bodyLength : 0,
                accessLog.tail(request));
    }

    private void log(String line) {
        if (line != null) {
            features.accessLog().write(line);
        }
    }
}
