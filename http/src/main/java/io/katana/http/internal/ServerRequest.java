package io.katana.http.internal;

import io.katana.http.HttpHeaders;
import io.katana.http.HttpMethod;
import io.katana.http.HttpRequest;
import io.katana.http.RequestBody;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's {@link HttpRequest}: a view of a {@link RequestHead} and of the body, which stay where
 * the reactor received them while the handler runs on the reactor thread. When the request must
 * outlive that (a blocking handler, or one that answers later) the connection {@linkplain #detach()
 * detaches} it first: head and body are copied into arrays of its own.
 *
 * <p><b>Threading:</b> the reactor thread reads it freely while it is attached. Another thread that
 * reads it before it is detached waits until {@link io.katana.http.HttpHandler#handle} has returned
 * and the connection has either detached it or finished with it; in the latter case (the handler
 * answered synchronously) the read fails, because the bytes are gone.
 */
public final class ServerRequest implements HttpRequest {

    private static final int ATTACHED = 0;
    private static final int DETACHED = 1;
    private static final int FINISHED = 2;

    private final HttpConnection connection;
    private final RouteMatch match = new RouteMatch();
    private final HttpHeaders headers = new FieldView();

    private RequestHead head;
    private ByteBuffer inlineBody;
    private int inlineBodyIndex;
    private byte[] bodyArray;
    private int bodyLength;
    private HttpHeaders trailers = TrailerFields.EMPTY;
    private Map<String, List<String>> query;
    private Map<String, String> pathParameters;
    private Map<String, String> cookies;
    private Map<String, List<String>> form;
    /** The body of a streaming handler's request, read as it arrives; null for a buffered body. */
    private StreamedBody streamed;
    private RequestBody bodyView;

    private volatile int access = ATTACHED;
    private volatile boolean waiting;

    ServerRequest(HttpConnection connection) {
        this.connection = connection;
    }

    /** Starts a request whose body, if any, lies in {@code source} at absolute index {@code index}. */
    void begin(RequestHead requestHead, ByteBuffer source, int index, int length) {
        reset(requestHead);
        inlineBody = length > 0 ? source : null;
        inlineBodyIndex = index;
        bodyLength = length;
    }

    /** Starts a request whose body was collected into an array the request now owns. */
    void begin(RequestHead requestHead, byte[] body, int length, List<String> trailerFields) {
        reset(requestHead);
        bodyArray = body;
        bodyLength = length;
        trailers = trailerFields.isEmpty() ? TrailerFields.EMPTY : new TrailerFields(trailerFields);
    }

    /** Starts a request to a streaming handler, whose body is read as it arrives. */
    void begin(RequestHead requestHead, StreamedBody body) {
        reset(requestHead);
        streamed = body;
    }

    private void reset(RequestHead requestHead) {
        head = requestHead;
        inlineBody = null;
        bodyArray = null;
        bodyLength = 0;
        trailers = TrailerFields.EMPTY;
        query = null;
        pathParameters = null;
        cookies = null;
        form = null;
        streamed = null;
        bodyView = null;
        access = ATTACHED;
        if (waiting) {
            waiting = false; // only after another thread waited, which made the object unreusable anyway
        }
    }

    RouteMatch match() {
        return match;
    }

    RequestHead head() {
        return head;
    }

    /** Copies whatever still lies in the reactor's buffer, so the request can outlive the read callback. */
    void detach() {
        head.detach();
        if (inlineBody != null) {
            byte[] copy = new byte[bodyLength];
            inlineBody.get(inlineBodyIndex, copy, 0, bodyLength);
            bodyArray = copy;
            inlineBody = null;
        }
        access = DETACHED;
        if (waiting) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /**
     * The response completed while the request was still attached: its bytes are about to be reused.
     *
     * @return whether the object may be reused for the next request (no other thread is waiting on it)
     */
    boolean finish() {
        access = FINISHED;
        if (waiting) {
            synchronized (this) {
                notifyAll();
            }
            return false;
        }
        return true;
    }

    private void readable() {
        if (Thread.currentThread() != connection.owner() && access != DETACHED) {
            awaitDetached();
        }
    }

    private void awaitDetached() {
        waiting = true;
        synchronized (this) {
            while (access == ATTACHED) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the handler to return", e);
                }
            }
        }
        if (access == FINISHED) {
            throw new IllegalStateException("the request was read from another thread after its response was"
                    + " sent; copy what you need before sending, or answer from that thread");
        }
    }

    @Override
    public HttpMethod method() {
        readable();
        return head.method();
    }

    @Override
    public String target() {
        readable();
        return head.latin1(head.targetStart(), head.targetEnd());
    }

    @Override
    public String path() {
        readable();
        if (head.pathStart() == head.pathEnd()) {
            return head.targetForm() == RequestHead.ORIGIN_FORM || head.targetForm() == RequestHead.ABSOLUTE_FORM ? "/" : "";
        }
        return UrlDecoding.decodePath(head, head.pathStart(), head.pathEnd());
    }

    @Override
    public String rawPath() {
        readable();
        return head.latin1(head.pathStart(), head.pathEnd());
    }

    @Override
    public String rawQuery() {
        readable();
        return head.queryStart() < 0 ? null : head.latin1(head.queryStart(), head.queryEnd());
    }

    @Override
    public String authority() {
        readable();
        if (head.authorityStart() >= 0) {
            return head.latin1(head.authorityStart(), head.authorityEnd());
        }
        int host = head.hostField();
        return host < 0 ? "" : head.latin1(head.fieldValueStart(host), head.fieldValueEnd(host));
    }

    @Override
    public String queryParam(String name) {
        List<String> values = queryParams().get(name);
        return values == null ? null : values.getFirst();
    }

    @Override
    public List<String> queryParams(String name) {
        List<String> values = queryParams().get(name);
        return values == null ? List.of() : values;
    }

    @Override
    public Map<String, List<String>> queryParams() {
        Map<String, List<String>> parsed = query;
        if (parsed == null) {
            parsed = UrlDecoding.parseQuery(rawQuery());
            query = parsed;
        }
        return parsed;
    }

    @Override
    public String pathParam(String name) {
        return pathParams().get(name);
    }

    @Override
    public Map<String, String> pathParams() {
        readable();
        Map<String, String> parsed = pathParameters;
        if (parsed == null) {
            Route route = match.route();
            if (route == null) {
                return Map.of();
            }
            String[] names = route.parameterNames();
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < names.length; i++) {
                values.put(names[i], UrlDecoding.decodePath(head, match.parameterStart(i), match.parameterEnd(i)));
            }
            parsed = Collections.unmodifiableMap(values);
            pathParameters = parsed;
        }
        return parsed;
    }

    @Override
    public String version() {
        readable();
        return head.minorVersion() == 0 ? "HTTP/1.0" : "HTTP/1.1";
    }

    @Override
    public HttpHeaders headers() {
        return headers;
    }

    @Override
    public Map<String, String> cookies() {
        Map<String, String> parsed = cookies;
        if (parsed == null) {
            parsed = CookieHeader.parse(headers.getAll("Cookie"));
            cookies = parsed;
        }
        return parsed;
    }

    @Override
    public Map<String, List<String>> formParams() {
        Map<String, List<String>> parsed = form;
        if (parsed == null) {
            parsed = FormDecoding.isForm(headers.get("Content-Type")) ? FormDecoding.decode(bodyBuffer()) : Map.of();
            form = parsed;
        }
        return parsed;
    }

    @Override
    public int bodyLength() {
        requireBuffered();
        return bodyLength;
    }

    private void requireBuffered() {
        if (streamed != null) {
            throw new IllegalStateException("this request's handler is streaming: read the body as it arrives with"
                    + " bodyStream() or multipart(); it is never held whole");
        }
    }

    @Override
    public RequestBody bodyStream() {
        readable();
        if (streamed != null) {
            return streamed;
        }
        RequestBody view = bodyView;
        if (view == null) {
            view = new BufferedBody(connection, body(), trailers);
            bodyView = view;
        }
        return view;
    }

    @Override
    public byte[] body() {
        requireBuffered();
        readable();
        byte[] copy = new byte[bodyLength];
        if (inlineBody != null) {
            inlineBody.get(inlineBodyIndex, copy, 0, bodyLength);
        } else if (bodyLength > 0) {
            System.arraycopy(bodyArray, 0, copy, 0, bodyLength);
        }
        return copy;
    }

    @Override
    public String bodyAsString() {
        requireBuffered();
        readable();
        if (inlineBody != null) {
            return new String(body(), StandardCharsets.UTF_8);
        }
        return bodyLength == 0 ? "" : new String(bodyArray, 0, bodyLength, StandardCharsets.UTF_8);
    }

    @Override
    public ByteBuffer bodyBuffer() {
        requireBuffered();
        readable();
        if (inlineBody != null) {
            return inlineBody.slice(inlineBodyIndex, bodyLength).asReadOnlyBuffer();
        }
        return bodyLength == 0 ? ByteBuffer.allocate(0).asReadOnlyBuffer()
                : ByteBuffer.wrap(bodyArray, 0, bodyLength).slice().asReadOnlyBuffer();
    }

    @Override
    public HttpHeaders trailers() {
        return trailers;
    }

    @Override
    public SocketAddress remoteAddress() {
        return connection.connection().remoteAddress();
    }

    @Override
    public SocketAddress localAddress() {
        return connection.connection().localAddress();
    }

    @Override
    public String toString() {
        return access == ATTACHED && Thread.currentThread() != connection.owner()
                ? "HttpRequest[pending]" : method() + " " + target() + " " + version();
    }

    /** The header fields, read in place from the head. */
    private final class FieldView implements HttpHeaders {

        @Override
        public int size() {
            readable();
            return head.fieldCount();
        }

        @Override
        public String name(int index) {
            readable();
            checkIndex(index);
            return head.latin1(head.fieldNameStart(index), head.fieldNameEnd(index));
        }

        @Override
        public String value(int index) {
            readable();
            checkIndex(index);
            return head.latin1(head.fieldValueStart(index), head.fieldValueEnd(index));
        }

        @Override
        public String get(String name) {
            readable();
            int index = indexOf(name, 0);
            return index < 0 ? null : head.latin1(head.fieldValueStart(index), head.fieldValueEnd(index));
        }

        @Override
        public boolean contains(String name) {
            readable();
            return indexOf(name, 0) >= 0;
        }

        @Override
        public List<String> getAll(String name) {
            readable();
            List<String> values = new ArrayList<>(2);
            for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
                values.add(head.latin1(head.fieldValueStart(i), head.fieldValueEnd(i)));
            }
            return Collections.unmodifiableList(values);
        }

        private int indexOf(String name, int from) {
            for (int i = from; i < head.fieldCount(); i++) {
                if (head.equalsIgnoreCaseAnyCase(head.fieldNameStart(i), head.fieldNameEnd(i), name)) {
                    return i;
                }
            }
            return -1;
        }

        private void checkIndex(int index) {
            if (index < 0 || index >= head.fieldCount()) {
                throw new IndexOutOfBoundsException("header index " + index + " of " + head.fieldCount());
            }
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("[");
            forEach((n, v) -> text.append(text.length() > 1 ? ", " : "").append(n).append(": ").append(v));
            return text.append(']').toString();
        }
    }
}
