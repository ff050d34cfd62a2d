package io.katana.http.internal;

import io.katana.http.HttpHeaders;
import io.katana.http.HttpStatusException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A push parser for {@code multipart/form-data} (RFC 7578) bodies, framed by RFC 2046 section 5.1.1
 * boundaries: it takes body bytes in whatever chunks they arrive and reports each part's header
 * fields, then its data in slices of those same chunks, then its end. It never holds a part's data:
 * the only bytes it keeps across chunks are a part's header section (bounded) and the few bytes of a
 * boundary split between two chunks, which it knows without copying since they are a prefix of the
 * delimiter itself.
 *
 * <p>Preamble and epilogue are skipped, transport padding after a boundary is allowed, the first
 * boundary may open the body without a CRLF before it. A body that breaks the framing or ends before
 * the closing boundary fails with a 400 {@link HttpStatusException}; more parts than allowed, or a
 * part header section over its limit, with a 413.
 *
 * <p><b>Threading:</b> confined to one thread at a time; not thread-safe.
 */
public final class MultipartParser {

    /** Receives what the parser finds; called from inside {@link #feed} and {@link #finish}. */
    public interface Listener {
        /** A part begins; its header fields are complete. */
        void partBegin(HttpHeaders headers) throws Exception;

        /** Bytes of the current part, valid only during the call; never empty. */
        void partData(ByteBuffer data) throws Exception;

        /** The current part's data is complete. */
        void partEnd() throws Exception;
    }

    private enum State { PREAMBLE, AFTER_BOUNDARY, AFTER_DASH, PADDING, BOUNDARY_CR, HEADERS, BODY, EPILOGUE, FAILED }

    private final byte[] delimiter;
    private final int maxHeaderBytes;
    private final int maxParts;
    private final Listener listener;

    private State state = State.PREAMBLE;
    /** Bytes of the delimiter matched at the end of the previous chunk (held back, not yet data). */
    private int matched = 2; // the body is read as if a CRLF preceded it, so "--boundary" may open it
    private byte[] headerBytes = new byte[256];
    private int headerLength;
    private int parts;
    private RuntimeException failure;

    /**
     * @param boundary the boundary parameter of the body's {@code Content-Type}, see {@link #boundary(String)}
     * @param maxHeaderBytes bytes of one part's header section
     * @param maxParts parts in one body
     * @param listener receives the parts
     */
    public MultipartParser(String boundary, int maxHeaderBytes, int maxParts, Listener listener) {
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxParts = maxParts;
        this.listener = listener;
    }

    /**
     * {@return the boundary of a {@code multipart/form-data} {@code Content-Type} field value}
     *
     * @param contentType the field value, such as {@code multipart/form-data; boundary=XyZ}
     * @throws HttpStatusException 415 when the type is not {@code multipart/form-data}, 400 when the
     *     boundary is missing or not one RFC 2046 allows (1 to 70 characters of its set)
     */
    public static String boundary(String contentType) {
        if (contentType == null) {
            throw new HttpStatusException(415, "expected a multipart/form-data body, but the request has no Content-Type");
        }
        String[] params = contentType.split(";");
        if (!params[0].strip().toLowerCase(Locale.ROOT).equals("multipart/form-data")) {
            throw new HttpStatusException(415, "expected a multipart/form-data body, got Content-Type " + params[0].strip());
        }
        for (int i = 1; i < params.length; i++) {
            String param = params[i].strip();
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).strip().equalsIgnoreCase("boundary")) {
                String value = param.substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                checkBoundary(value);
                return value;
            }
        }
        throw new HttpStatusException(400, "the multipart/form-data Content-Type has no boundary parameter");
    }

    private static void checkBoundary(String boundary) {
        if (boundary.isEmpty() || boundary.length() > 70 || boundary.endsWith(" ")) {
            throw new HttpStatusException(400, "a multipart boundary has 1 to 70 characters and does not end in a space;"
                    + " got \"" + boundary + "\"");
        }
        for (int i = 0; i < boundary.length(); i++) {
            char c = boundary.charAt(i);
            boolean bchar = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || "'()+_,-./:=? ".indexOf(c) >= 0;
            if (!bchar) {
                throw new HttpStatusException(400, "the multipart boundary has a character RFC 2046 does not allow at position " + i);
            }
        }
    }

    /** {@return whether the closing boundary has been read} Bytes after it (the epilogue) are ignored. */
    public boolean isComplete() {
        return state == State.EPILOGUE;
    }

    /**
     * Reads every remaining byte of {@code chunk}, reporting what it completes to the listener.
     *
     * @param chunk body bytes; its position moves to its limit
     * @throws HttpStatusException when the body is malformed or over a limit; the parser then stays failed
     * @throws Exception what the listener throws
     */
    public void feed(ByteBuffer chunk) throws Exception {
        if (failure != null) {
            throw failure;
        }
        try {
            parse(chunk);
        } catch (HttpStatusException e) {
            state = State.FAILED;
            failure = e;
            throw e;
        }
    }

    /**
     * The body has ended.
     *
     * @throws HttpStatusException 400 when the closing boundary never came
     */
    public void finish() {
        if (failure != null) {
            throw failure;
        }
        if (state != State.EPILOGUE) {
            failure = new HttpStatusException(400, state == State.PREAMBLE
                    ? "the multipart body has no boundary line (--" + boundaryText() + ")"
                    : "the multipart body ended before its closing boundary (--" + boundaryText() + "--)");
            state = State.FAILED;
            throw failure;
        }
    }

    private String boundaryText() {
        return new String(delimiter, 4, delimiter.length - 4, StandardCharsets.ISO_8859_1);
    }

    private void parse(ByteBuffer chunk) throws Exception {
        int pos = chunk.position();
        int limit = chunk.limit();
        while (pos < limit) {
            switch (state) {
                case PREAMBLE, BODY -> pos = scan(chunk, pos, limit);
                case AFTER_BOUNDARY -> {
                    byte b = chunk.get(pos++);
                    if (b == '-') {
                        state = State.AFTER_DASH;
                    } else {
                        boundaryLine(b);
                    }
                }
                case AFTER_DASH -> {
                    if (chunk.get(pos++) != '-') {
                        throw malformed("a boundary line is followed by a single '-'");
                    }
                    state = State.EPILOGUE;
                }
                case PADDING -> boundaryLine(chunk.get(pos++));
                case BOUNDARY_CR -> {
                    if (chunk.get(pos++) != '\n') {
                        throw malformed("a boundary line ends in CR without LF");
                    }
                    if (++parts > maxParts) {
                        throw new HttpStatusException(413, "the multipart body has more than " + maxParts + " parts");
                    }
                    headerLength = 0;
                    state = State.HEADERS;
                }
                case HEADERS -> pos = headers(chunk, pos, limit);
                case EPILOGUE -> pos = limit;
                case FAILED -> throw failure;
            }
        }
        chunk.position(limit);
    }

    /** Transport padding (spaces, tabs) may follow a boundary before its CRLF. */
    private void boundaryLine(byte b) {
        if (b == ' ' || b == '\t') {
            state = State.PADDING;
        } else if (b == '\r') {
            state = State.BOUNDARY_CR;
        } else {
            throw malformed("a boundary is followed by '" + (char) (b & 0xff) + "' rather than CRLF or '--';"
                    + " the boundary may also occur inside a part's data, which the sender must avoid");
        }
    }

    /** Looks for the delimiter, passing the bytes before it on as data (BODY) or dropping them (PREAMBLE). */
    private int scan(ByteBuffer chunk, int pos, int limit) throws Exception {
        if (matched > 0) {
            while (pos < limit && matched < delimiter.length && chunk.get(pos) == delimiter[matched]) {
                pos++;
                matched++;
            }
            if (matched == delimiter.length) {
                matched = 0;
                delimiterFound();
                return pos;
            }
            if (pos == limit) {
                return pos; // still a possible delimiter: hold it back
            }
            // Not a delimiter after all: the held-back bytes were data. A delimiter can only start at a
            // CR, and the held bytes have none but their first, so the search goes on at pos.
            data(ByteBuffer.wrap(delimiter, 0, matched));
            matched = 0;
        }
        int dataStart = pos;
        while (true) {
            int cr = indexOfCr(chunk, pos, limit);
            if (cr < 0) {
                data(chunk, dataStart, limit);
                return limit;
            }
            int j = cr;
            int k = 0;
            while (j < limit && k < delimiter.length && chunk.get(j) == delimiter[k]) {
                j++;
                k++;
            }
            if (k == delimiter.length) {
                data(chunk, dataStart, cr);
                delimiterFound();
                return j;
            }
            if (j == limit) {
                data(chunk, dataStart, cr);
                matched = k;
                return limit;
            }
            pos = cr + 1;
        }
    }

    private static int indexOfCr(ByteBuffer chunk, int from, int limit) {
        for (int i = from; i < limit; i++) {
            if (chunk.get(i) == '\r') {
                return i;
            }
        }
        return -1;
    }

    private void data(ByteBuffer chunk, int from, int to) throws Exception {
        if (to > from) {
            data(chunk.slice(from, to - from));
        }
    }

    private void data(ByteBuffer bytes) throws Exception {
        if (state == State.BODY) {
            listener.partData(bytes);
        }
    }

    private void delimiterFound() throws Exception {
        if (state == State.BODY) {
            listener.partEnd();
        }
        state = State.AFTER_BOUNDARY;
    }

    /** Collects a part's header section up to its empty line; returns where the part's data starts. */
    private int headers(ByteBuffer chunk, int pos, int limit) throws Exception {
        while (pos < limit) {
            if (headerLength == maxHeaderBytes) {
                throw new HttpStatusException(413, "the header section of multipart part " + parts + " is over "
                        + maxHeaderBytes + " bytes");
            }
            if (headerLength == headerBytes.length) {
                headerBytes = Arrays.copyOf(headerBytes, Math.min(maxHeaderBytes, headerLength * 2));
            }
            headerBytes[headerLength++] = chunk.get(pos++);
            if (endsHeaderSection()) {
                listener.partBegin(parseHeaders());
                state = State.BODY;
                return pos;
            }
        }
        return pos;
    }

    private boolean endsHeaderSection() {
        int n = headerLength;
        if (n < 2 || headerBytes[n - 2] != '\r' || headerBytes[n - 1] != '\n') {
            return false;
        }
        return n == 2 || (n >= 4 && headerBytes[n - 4] == '\r' && headerBytes[n - 3] == '\n');
    }

    private HttpHeaders parseHeaders() {
        List<String> fields = new ArrayList<>(4);
        int end = headerLength - 2; // the empty line's CRLF
        int lineStart = 0;
        while (lineStart < end) {
            int lineEnd = lineStart;
            while (headerBytes[lineEnd] != '\r') {
                lineEnd++;
            }
            if (headerBytes[lineEnd + 1] != '\n') {
                throw malformed("a header line of part " + parts + " has a CR without LF");
            }
            field(lineStart, lineEnd, fields);
            lineStart = lineEnd + 2;
        }
        return new TrailerFields(fields);
    }

    private void field(int start, int end, List<String> fields) {
        int colon = start;
        while (colon < end && headerBytes[colon] != ':') {
            if (!Ascii.isTokenChar(headerBytes[colon])) {
                throw malformed("a header line of part " + parts + " is not 'name: value'"
                        + (colon == start && Ascii.isWhitespace(headerBytes[colon]) ? " (folded lines are not allowed)" : ""));
            }
            colon++;
        }
        if (colon == end || colon == start) {
            throw malformed("a header line of part " + parts + " is not 'name: value'");
        }
        int valueStart = colon + 1;
        int valueEnd = end;
        while (valueStart < valueEnd && Ascii.isWhitespace(headerBytes[valueStart])) {
            valueStart++;
        }
        while (valueEnd > valueStart && Ascii.isWhitespace(headerBytes[valueEnd - 1])) {
            valueEnd--;
        }
        for (int i = valueStart; i < valueEnd; i++) {
            int b = headerBytes[i] & 0xff;
            if ((b < 0x20 && b != '\t') || b == 0x7f) {
                throw malformed("a header value of part " + parts + " has a control character");
            }
        }
        fields.add(new String(headerBytes, start, colon - start, StandardCharsets.ISO_8859_1));
        // RFC 7578 section 5.1: field names and file names may be sent as raw UTF-8.
        fields.add(new String(headerBytes, valueStart, valueEnd - valueStart, StandardCharsets.UTF_8));
    }

    private static HttpStatusException malformed(String what) {
        return new HttpStatusException(400, "malformed multipart body: " + what);
    }
}
