package io.katana.http.internal;

import io.katana.http.HttpMethod;
import io.katana.http.HttpResponse;
import io.katana.http.ResponseStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's {@link HttpResponse}: the status and header fields a handler sets, then one send that
 * hands them to the connection's {@link ResponseWriter} to encode and write.
 *
 * <p>It ends once: completed (the response written, {@code DONE}) or abandoned (the client left, the
 * request timeout passed, the connection was cut). Actions registered with {@link #onAbandoned} or a
 * stream's {@code onClose} run at that end.
 *
 * <p><b>Threading:</b> completed once, by whichever thread sends first (a compare-and-set decides);
 * status and headers are plain fields, published to the reactor thread by the send. The end actions
 * are a lock-free chain, swapped out once when the response ends.
 */
public final class ServerResponse implements HttpResponse {

    static final int OPEN = 0;
    static final int SENDING = 1;
    static final int STREAMING = 2;
    static final int DONE = 3;
    static final int ABANDONED = 4;

    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);

    private static final VarHandle PHASE;
    private static final VarHandle END_ACTIONS;
    /** In {@link #endActions} once the response has ended: later actions run at once. */
    private static final Consumer<Throwable> ENDED = cause -> { };

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PHASE = lookup.findVarHandle(ServerResponse.class, "phase", int.class);
            END_ACTIONS = lookup.findVarHandle(ServerResponse.class, "endActions", Consumer.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final String TEXT_UTF8 = "text/plain; charset=utf-8";
    private static final String OCTET_STREAM = "application/octet-stream";

    private final ResponseWriter writer;

    @SuppressWarnings("unused") // through PHASE
    private volatile int phase;
    @SuppressWarnings("unused") // through END_ACTIONS
    private volatile Consumer<Throwable> endActions;
    /** Why the exchange was abandoned; written before the phase turns ABANDONED. */
    private volatile Throwable abandonCause;
    /** The request answered, for log lines about it. */
    private RequestHead head;
    private int status;
    // Grown on demand; small because every keep-alive connection keeps its response object while idle.
    private String[] names = new String[4];
    private String[] values = new String[4];
    private int count;
    private boolean hasServer;
    private boolean hasDate;
    private boolean hasContentType;
    private boolean closeRequested;
    /** How many header fields the filters had set when the handler started; -1 outside a composed route. */
    private int handlerHeaderStart = -1;

    private boolean headRequest;
    private boolean keepAlive;
    private int minorVersion;

    ServerResponse(ResponseWriter writer) {
        this.writer = writer;
    }

    /** Starts the response to {@code head}'s request. */
    void begin(RequestHead head) {
        this.head = head;
        abandonCause = null;
        END_ACTIONS.setRelease(this, (Consumer<Throwable>) null);
        PHASE.setRelease(this, OPEN);
        status = 200;
        for (int i = 0; i < count; i++) {
            names[i] = null;
            values[i] = null;
        }
        count = 0;
        handlerHeaderStart = -1;
        hasServer = false;
        hasDate = false;
        hasContentType = false;
        closeRequested = false;
        headRequest = head.method() == HttpMethod.HEAD;
        keepAlive = head.keepAlive();
        minorVersion = head.minorVersion();
    }

    int phase() {
        return (int) PHASE.getAcquire(this);
    }

    /** Reactor thread: the response has been written whole; runs the end actions with null. */
    void markDone() {
        PHASE.setRelease(this, DONE);
        runEndActions(null);
    }

    /**
     * Abandons the exchange unless its response is complete, and runs the end actions with {@code
     * cause}.
     *
     * @return the phase it was in ({@link #OPEN}, {@link #SENDING} or {@link #STREAMING}), or -1 if it
     *     had already ended
     */
    int abandon(Throwable cause) {
        while (true) {
            int current = phase();
            if (current == DONE || current == ABANDONED) {
                return -1;
            }
            if (abandonFrom(current, cause)) {
                return current;
            }
        }
    }

    /** Abandons the exchange if no answer has started (phase {@link #OPEN}). @return whether it did */
    boolean abandonIfOpen(Throwable cause) {
        return phase() == OPEN && abandonFrom(OPEN, cause);
    }

    private boolean abandonFrom(int expected, Throwable cause) {
        abandonCause = cause;
        if (!PHASE.compareAndSet(this, expected, ABANDONED)) {
            return false;
        }
        runEndActions(cause);
        return true;
    }

    private void runEndActions(Throwable cause) {
        @SuppressWarnings("unchecked")
        Consumer<Throwable> actions = (Consumer<Throwable>) END_ACTIONS.getAndSet(this, ENDED);
        if (actions != null && actions != ENDED) {
            actions.accept(cause);
        }
    }

    /** Runs {@code action} with the end's cause (null: completed) when the response ends, or now if it has. */
    void onEnd(Consumer<Throwable> action) {
        Objects.requireNonNull(action, "action");
        while (true) {
            @SuppressWarnings("unchecked")
            Consumer<Throwable> current = (Consumer<Throwable>) END_ACTIONS.getAcquire(this);
            if (current == ENDED) {
                action.accept(phase() == ABANDONED ? abandonCause : null);
                return;
            }
            Consumer<Throwable> next = current == null ? action : current.andThen(action);
            if (END_ACTIONS.compareAndSet(this, current, next)) {
                return;
            }
        }
    }

    @Override
    public HttpResponse onAbandoned(Consumer<Throwable> action) {
        Objects.requireNonNull(action, "action");
        onEnd(cause -> {
            if (cause != null) {
                action.accept(cause);
            }
        });
        return this;
    }

    @Override
    public boolean isAbandoned() {
        return phase() == ABANDONED;
    }

    /** {@code GET /path} of the request answered, for log lines. */
    String describeRequest() {
        return head == null ? "(no request)" : head.method() + " " + head.latin1(head.targetStart(), head.targetEnd());
    }

    boolean isHeadRequest() {
        return headRequest;
    }

    int minorVersion() {
        return minorVersion;
    }

    /** Whether the connection closes after this response. */
    boolean closesConnection() {
        return !keepAlive || closeRequested;
    }

    /** Makes the connection close after this response (for error answers). */
    void forceClose() {
        closeRequested = true;
    }

    @Override
    public HttpResponse status(int code) {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("status code of a final response must be 200 to 599, got " + code
                    + (code >= 100 && code < 200 ? " (informational responses are sent by the server itself)" : ""));
        }
        requireOpen();
        status = code;
        return this;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public HttpResponse header(String name, String value) {
        check(name, value);
        requireOpen();
        for (int i = 0; i < count; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                values[i] = value;
                removeOthers(name, i + 1);
                noteSpecial(name, value);
                return this;
            }
        }
        append(name, value);
        return this;
    }

    @Override
    public String header(String name) {
        Objects.requireNonNull(name, "name");
        for (int i = 0; i < count; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return values[i];
            }
        }
        return null;
    }

    /** The handler of a composed route starts now: the header fields set so far are the filters'. */
    void markHandlerHeaders() {
        handlerHeaderStart = count;
    }

    /**
     * Before an error answer: back to status 200 and to the header fields the filters had set, so a
     * CORS or request-id header stays and the failed handler's own (a Content-Type, say) goes.
     */
    void resetForError() {
        requireOpen();
        status = 200;
        if (handlerHeaderStart >= 0 && handlerHeaderStart < count) {
            for (int i = handlerHeaderStart; i < count; i++) {
                names[i] = null;
                values[i] = null;
            }
            count = handlerHeaderStart;
            hasServer = false;
            hasDate = false;
            hasContentType = false;
            for (int i = 0; i < count; i++) {
                noteSpecial(names[i], values[i]);
            }
        }
    }

    @Override
    public HttpResponse addHeader(String name, String value) {
        check(name, value);
        requireOpen();
        append(name, value);
        return this;
    }

    private void append(String name, String value) {
        if (count == names.length) {
            names = Arrays.copyOf(names, count * 2);
            values = Arrays.copyOf(values, count * 2);
        }
        names[count] = name;
        values[count] = value;
        count++;
        noteSpecial(name, value);
    }

    private void removeOthers(String name, int from) {
        int kept = from;
        for (int i = from; i < count; i++) {
            if (!names[i].equalsIgnoreCase(name)) {
                names[kept] = names[i];
                values[kept] = values[i];
                kept++;
            }
        }
        for (int i = kept; i < count; i++) {
            names[i] = null;
            values[i] = null;
        }
        count = kept;
    }

    private void noteSpecial(String name, String value) {
        switch (name.length()) {
            case 4 -> hasDate |= name.equalsIgnoreCase("date");
            case 6 -> hasServer |= name.equalsIgnoreCase("server");
            case 10 -> {
                if (name.equalsIgnoreCase("connection") && containsToken(value, "close")) {
                    closeRequested = true;
                }
            }
            case 12 -> hasContentType |= name.equalsIgnoreCase("content-type");
            default -> { }
        }
    }

    private static boolean containsToken(String list, String token) {
        for (String element : list.split(",")) {
            if (element.strip().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    private static void check(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a header name cannot be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7f || !Ascii.isTokenChar(c)) {
                throw new IllegalArgumentException("header name '" + name + "' has a character (position " + i
                        + ") that RFC 9110 does not allow in a field name");
            }
        }
        if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding")) {
            throw new IllegalArgumentException(name + " is set by the server from the body; do not set it");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff || (c < 0x20 && c != '\t') || c == 0x7f) {
                throw new IllegalArgumentException("value of header '" + name + "' has a character (position " + i
                        + ") that is not allowed in a field value: control characters, CR and LF are refused"
                        + " so a response cannot be split, and characters above U+00FF cannot be sent");
            }
        }
    }

    private void requireOpen() {
        if (phase() != OPEN) {
            throw new IllegalStateException("the response was already sent");
        }
    }

    /**
     * Claims the response for one send or stream.
     *
     * @return false if the exchange was abandoned: the caller drops its answer (logged here)
     * @throws IllegalStateException if the response was already sent
     */
    private boolean commit(int next) {
        if (PHASE.compareAndSet(this, OPEN, next)) {
            return true;
        }
        if (phase() == ABANDONED) {
            Throwable cause = abandonCause;
            LOG.warn("{}: the handler answered after the exchange was abandoned ({}); its answer is dropped",
                    describeRequest(), cause == null ? "no reason given" : cause.getMessage());
            return false;
        }
        throw new IllegalStateException("the response was already sent");
    }

    @Override
    public void send() {
        if (commit(SENDING)) {
            writer.send(this, null, null, null);
        }
    }

    @Override
    public void send(String body) {
        Objects.requireNonNull(body, "body");
        if (commit(SENDING)) {
            writer.send(this, body, null, null);
        }
    }

    @Override
    public void send(byte[] body) {
        Objects.requireNonNull(body, "body");
        if (commit(SENDING)) {
            writer.send(this, null, body, null);
        }
    }

    @Override
    public void send(ByteBuffer body) {
        Objects.requireNonNull(body, "body");
        if (commit(SENDING)) {
            writer.send(this, null, null, body);
        }
    }

    @Override
    public void sendFile(Path file, long position, long count) throws IOException {
        Objects.requireNonNull(file, "file");
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("position and count must be 0 or more, got " + position + " and " + count);
        }
        if (commit(SENDING)) {
            writer.sendFile(this, file, position, count);
        }
    }

    @Override
    public ResponseStream stream() {
        return commit(STREAMING) ? writer.startStream(this, -1) : ServerResponseStream.abandoned(writer, this);
    }

    @Override
    public ResponseStream stream(long contentLength) {
        if (contentLength < 0) {
            throw new IllegalArgumentException("contentLength must be 0 or more, got " + contentLength);
        }
        return commit(STREAMING) ? writer.startStream(this, contentLength) : ServerResponseStream.abandoned(writer, this);
    }

    @Override
    public boolean isCommitted() {
        return phase() != OPEN;
    }

    /**
     * Encodes the status line and header fields.
     *
     * @param contentLength the body's length, or -1 for a chunked (or, to HTTP/1.0, unframed) body
     * @param defaultContentType Content-Type to add when the handler set none and there is a body
     */
    void encodeHead(ResponseEncoder out, long contentLength, String defaultContentType, byte[] serverLine) {
        boolean bodyAllowed = !StatusLines.forbidsContent(status);
        out.put(StatusLines.line(status));
        if (serverLine != null && !hasServer) {
            out.put(serverLine);
        }
        if (!hasDate) {
            out.put(DateHeader.line());
        }
        for (int i = 0; i < count; i++) {
            out.putLatin1(names[i]).put(':').put(' ').putLatin1(values[i]).crlf();
        }
        if (bodyAllowed) {
            if (!hasContentType && defaultContentType != null && contentLength != 0) {
                out.putLatin1("Content-Type: ").putLatin1(defaultContentType).crlf();
            }
            if (contentLength >= 0) {
                out.putLatin1("Content-Length: ").putDecimal(contentLength).crlf();
            } else if (minorVersion >= 1) {
                out.putLatin1("Transfer-Encoding: chunked\r\n");
            }
        }
        if (closesConnection() || (contentLength < 0 && minorVersion == 0 && bodyAllowed)) {
            out.putLatin1("Connection: close\r\n");
        } else if (minorVersion == 0) {
            out.putLatin1("Connection: keep-alive\r\n");
        }
        out.crlf();
    }

    static String defaultContentType(boolean text) {
        return text ? TEXT_UTF8 : OCTET_STREAM;
    }

    /** Whether a stream of this response sends chunks (HTTP/1.1) rather than raw bytes until close. */
    boolean streamsChunked() {
        return minorVersion >= 1;
    }

    /** Whether this response, streamed, must close the connection to end its body (HTTP/1.0). */
    boolean streamEndsWithClose() {
        return minorVersion == 0 && !StatusLines.forbidsContent(status) && !headRequest;
    }
}
