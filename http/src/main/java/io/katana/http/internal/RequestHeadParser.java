package io.katana.http.internal;

import io.katana.http.HttpLimits;
import io.katana.http.HttpMethod;
import java.nio.ByteBuffer;

/**
 * An incremental, strict parser of one HTTP/1.1 request head (RFC 9112 sections 2 to 6) that reads
 * the reactor's buffer in place and records offsets into a {@link RequestHead}; it copies nothing.
 *
 * <p>It never consumes bytes: the caller leaves an incomplete head in the reactor's buffer, which
 * presents it again, followed by newer bytes, at the next read. The parser remembers how far it got
 * (offsets relative to the request's first byte) and resumes there, so every byte is examined once
 * however the head is split.
 *
 * <p>Anything the RFCs forbid is refused as soon as the offending byte arrives: bare CR or LF, obs-fold,
 * whitespace before a colon, bytes outside tokens or field values, malformed or repeated framing
 * fields, a missing or repeated Host. The refusal carries the status to answer and a short reason
 * that quotes nothing from the request.
 *
 * <p><b>Threading:</b> confined to one connection's reactor thread; reused for every request.
 */
public final class RequestHeadParser {

    /** The head is incomplete; call again when more bytes have arrived. */
    public static final int NEED_MORE = 0;
    /** The head is complete and valid; {@link RequestHead#length()} bytes belong to it. */
    public static final int COMPLETE = 1;
    /** The head is invalid; see {@link #errorStatus()} and {@link #errorReason()}. */
    public static final int ERROR = 2;

    private static final int LEADING = 0;
    private static final int LEADING_LF = 1;
    private static final int METHOD = 2;
    private static final int TARGET = 3;
    private static final int VERSION = 4;
    private static final int REQUEST_LINE_LF = 5;
    private static final int FIELD_START = 6;
    private static final int FIELD_NAME = 7;
    private static final int FIELD_OWS = 8;
    private static final int FIELD_VALUE = 9;
    private static final int FIELD_LF = 10;
    private static final int HEAD_LF = 11;
    private static final int DONE = 12;

    /** {@link #requestLine}'s answer when the line is complete and the header section comes next. */
    private static final int LINE_COMPLETE = -1;

    private static final String HTTP_SLASH = "HTTP/";

    private final int maxRequestLine;
    private final int maxHeaderBlock;
    private final int maxHeaderCount;
    private final long maxBody;
    private final boolean dropUnderscoreNames;

    private RequestHead head;
    private int state = DONE;
    private int pos;
    private int tokenStart;
    private int nameEnd;
    private int valueStart;
    private int valueEnd;
    private int headersStart;
    private int errorStatus;
    private String errorReason;

    private boolean unsupportedMajor;
    private int fieldLines;
    private int hostCount;
    private int contentTypeCount;
    private boolean expectOther;
    private boolean teSeen;
    private boolean teLastChunked;
    private int teChunked;
    private int teOther;

    public RequestHeadParser(HttpLimits limits) {
        this(limits, false);
    }

    /**
     * @param dropUnderscoreNames whether to leave out header fields whose name contains '_' (they still
     *     count towards the limits)
     */
    public RequestHeadParser(HttpLimits limits, boolean dropUnderscoreNames) {
        this(limits, limits.maxBodySize(), dropUnderscoreNames);
    }

    /**
     * @param maxBody the largest {@code Content-Length} taken here, answered 413 beyond: the largest
     *     body limit of any route, since the route, and so its own limit, is known only once the head is
     * @param dropUnderscoreNames as {@link #RequestHeadParser(HttpLimits, boolean)}
     */
    public RequestHeadParser(HttpLimits limits, long maxBody, boolean dropUnderscoreNames) {
        this.maxRequestLine = limits.maxRequestLineLength();
        this.maxHeaderBlock = limits.maxHeaderBlockSize();
        this.maxHeaderCount = limits.maxHeaderCount();
        this.maxBody = maxBody;
        this.dropUnderscoreNames = dropUnderscoreNames;
    }

    /** Starts a new request whose offsets go into {@code target} (reset here). */
    public void begin(RequestHead target) {
        head = target;
        head.reset();
        state = LEADING;
        pos = 0;
        tokenStart = 0;
        headersStart = 0;
        errorStatus = 0;
        errorReason = null;
        unsupportedMajor = false;
        fieldLines = 0;
        hostCount = 0;
        contentTypeCount = 0;
        expectOther = false;
        teSeen = false;
        teLastChunked = false;
        teChunked = 0;
        teOther = 0;
    }

    /** Whether some bytes of a request have been examined but its head is not complete yet. */
    public boolean inProgress() {
        return state != DONE && pos > 0;
    }

    /** Bytes of the current request examined so far. */
    public int examined() {
        return pos;
    }

    /** The status to answer after {@link #ERROR}: 400, 413, 414, 417, 431, 501 or 505. */
    public int errorStatus() {
        return errorStatus;
    }

    /** A short description of what was wrong after {@link #ERROR}; never quotes the request. */
    public String errorReason() {
        return errorReason;
    }

    /**
     * Parses on from where the last call stopped: the request line, then the header fields.
     *
     * @param buf the reactor's buffer, read with absolute indexes only (its position is not moved)
     * @param base absolute index of the request's first byte; the same bytes as at the last call
     * @param limit absolute index after the last byte available
     * @return {@link #NEED_MORE}, {@link #COMPLETE} or {@link #ERROR}
     */
    public int parse(ByteBuffer buf, int base, int limit) {
        head.attach(buf, base);
        int end = limit - base;
        if (state < FIELD_START) {
            int line = requestLine(buf, base, end);
            if (line != LINE_COMPLETE) {
                return line;
            }
        }
        return fieldSection(buf, base, end);
    }

    /**
     * The request-line phase (RFC 9112 section 3), with the empty lines allowed before it.
     *
     * @return {@link #LINE_COMPLETE} when the line and its CRLF are in, or what {@link #parse} returns
     */
    private int requestLine(ByteBuffer buf, int base, int end) {
        int available = Math.min(end, maxRequestLine);
        while (true) {
            if (pos >= available) {
                return pos >= maxRequestLine ? overLimit() : NEED_MORE;
            }
            int b = buf.get(base + pos) & 0xff;
            switch (state) {
                case LEADING -> {
                    // RFC 9112 section 2.2: ignore empty lines received before the request line.
                    if (b == Ascii.CR) {
                        state = LEADING_LF;
                        pos++;
                    } else if (b == Ascii.LF) {
                        return fail(400, "bare LF before the request line");
                    } else {
                        tokenStart = pos;
                        state = METHOD;
                    }
                }
                case LEADING_LF -> {
                    if (b != Ascii.LF) {
                        return fail(400, "CR without LF before the request line");
                    }
                    pos++;
                    state = LEADING;
                }
                case METHOD -> {
                    if (!method(buf, base, available)) {
                        return ERROR;
                    }
                }
                case TARGET -> {
                    if (!target(buf, base, available)) {
                        return ERROR;
                    }
                }
                case VERSION -> {
                    if (!versionByte(b)) {
                        return ERROR;
                    }
                    pos++;
                }
                default -> { // REQUEST_LINE_LF
                    if (b != Ascii.LF) {
                        return fail(400, "CR without LF after the request line");
                    }
                    pos++;
                    headersStart = pos;
                    state = FIELD_START;
                    return LINE_COMPLETE;
                }
            }
        }
    }

    /** Scans the method token up to its SP; stops at {@code available} to resume later. @return false on error */
    private boolean method(ByteBuffer buf, int base, int available) {
        int p = pos;
        while (p < available && Ascii.isTokenChar(buf.get(base + p))) {
            p++;
        }
        pos = p;
        if (p == available) {
            return true;
        }
        if (buf.get(base + p) != Ascii.SP) {
            return reject(400, "invalid character in the method");
        }
        if (p == tokenStart) {
            return reject(400, "empty method");
        }
        head.methodStart = tokenStart;
        head.methodEnd = p;
        head.method = methodOf(tokenStart, p);
        pos = p + 1;
        tokenStart = pos;
        state = TARGET;
        return true;
    }

    /** Scans the request-target up to its SP and checks its form; resumes as {@link #method}. @return false on error */
    private boolean target(ByteBuffer buf, int base, int available) {
        int p = pos;
        while (p < available && Ascii.isTargetChar(buf.get(base + p))) {
            p++;
        }
        pos = p;
        if (p == available) {
            return true;
        }
        int c = buf.get(base + p) & 0xff;
        if (c != Ascii.SP) {
            return reject(400, c == Ascii.CR || c == Ascii.LF
                    ? "request line without an HTTP version"
                    : "invalid character in the request-target");
        }
        if (p == tokenStart) {
            return reject(400, "empty request-target");
        }
        head.targetStart = tokenStart;
        head.targetEnd = p;
        if (!RequestTargets.parse(head, tokenStart, p, this)) {
            return false;
        }
        pos = p + 1;
        tokenStart = pos;
        state = VERSION;
        return true;
    }

    /** Checks byte {@code b} of {@code HTTP/x.y} and the CR after it. @return false on error */
    private boolean versionByte(int b) {
        int i = pos - tokenStart;
        if (i < 5) {
            return b == HTTP_SLASH.charAt(i) || reject(400, "invalid HTTP version");
        }
        if (i == 6) {
            return b == '.' || reject(400, "invalid HTTP version");
        }
        if (i > 7) {
            if (b != Ascii.CR) {
                return reject(400, b == Ascii.LF ? "bare LF after the request line" : "invalid HTTP version");
            }
            state = REQUEST_LINE_LF;
            return true;
        }
        if (b < '0' || b > '9') {
            return reject(400, "invalid HTTP version");
        }
        if (i == 5) {
            // Remember, but answer 505 only once the version is known to be well formed.
            unsupportedMajor = b != '1';
            return true;
        }
        if (unsupportedMajor) {
            return reject(505, "only HTTP/1.x is supported");
        }
        head.minorVersion = b == '0' ? 0 : 1;
        return true;
    }

    /** The header-section phase (RFC 9112 section 5): field lines up to the empty line. */
    private int fieldSection(ByteBuffer buf, int base, int end) {
        int stop = headersStart + maxHeaderBlock;
        int available = Math.min(end, stop);
        while (true) {
            if (pos >= available) {
                return pos >= stop ? overLimit() : NEED_MORE;
            }
            int b = buf.get(base + pos) & 0xff;
            switch (state) {
                case FIELD_START -> {
                    if (b == Ascii.CR) {
                        pos++;
                        state = HEAD_LF;
                    } else if (Ascii.isTokenChar(b)) {
                        if (fieldLines >= maxHeaderCount) {
                            return fail(431, "more than " + maxHeaderCount + " header fields");
                        }
                        tokenStart = pos;
                        state = FIELD_NAME;
                    } else {
                        return fail(400, fieldStartError(b));
                    }
                }
                case FIELD_NAME -> {
                    if (!fieldName(buf, base, available)) {
                        return ERROR;
                    }
                }
                case FIELD_OWS -> {
                    if (Ascii.isWhitespace(b)) {
                        pos++;
                    } else {
                        valueStart = pos;
                        valueEnd = pos;
                        state = FIELD_VALUE;
                    }
                }
                case FIELD_VALUE -> {
                    if (!fieldValue(buf, base, available)) {
                        return ERROR;
                    }
                }
                case FIELD_LF -> {
                    if (b != Ascii.LF) {
                        return fail(400, "CR without LF in the header section");
                    }
                    pos++;
                    if (!fieldComplete()) {
                        return ERROR;
                    }
                    state = FIELD_START;
                }
                case HEAD_LF -> {
                    if (b != Ascii.LF) {
                        return fail(400, "CR without LF at the end of the header section");
                    }
                    pos++;
                    head.length = pos;
                    state = DONE;
                    return finish();
                }
                default -> throw new IllegalStateException("parse called without begin");
            }
        }
    }

    private String fieldStartError(int b) {
        if (b == Ascii.SP || b == Ascii.HTAB) {
            return fieldLines == 0
                    ? "whitespace before the first header field"
                    : "obsolete line folding (obs-fold) in a header field";
        }
        if (b == Ascii.LF) {
            return "bare LF in the header section";
        }
        return b == ':' ? "empty header field name" : "invalid character in a header field name";
    }

    /** Scans a field name up to its colon; resumes as {@link #method}. @return false on error */
    private boolean fieldName(ByteBuffer buf, int base, int available) {
        int p = pos;
        while (p < available && Ascii.isTokenChar(buf.get(base + p))) {
            p++;
        }
        pos = p;
        if (p == available) {
            return true;
        }
        int c = buf.get(base + p) & 0xff;
        if (c != ':') {
            return reject(400, Ascii.isWhitespace(c)
                    ? "whitespace between a header field name and its colon"
                    : "invalid character in a header field name");
        }
        nameEnd = p;
        pos = p + 1;
        state = FIELD_OWS;
        return true;
    }

    /** Scans a field value up to its CR, trimming trailing whitespace; resumes as {@link #method}. @return false on error */
    private boolean fieldValue(ByteBuffer buf, int base, int available) {
        int p = pos;
        // Eight bytes at a time while none is a control byte (tab included) or DEL.
        while (p + 8 <= available && Swar.isPlainText(buf.getLong(base + p))) {
            p += 8;
        }
        int c = 0;
        while (p < available) {
            c = buf.get(base + p) & 0xff;
            if (!Ascii.isFieldValueChar(c)) {
                break;
            }
            p++;
        }
        pos = p;
        if (p == available) {
            return true;
        }
        if (c != Ascii.CR) {
            return reject(400, c == Ascii.LF ? "bare LF in a header field" : "control character in a header field value");
        }
        int visibleEnd = p;
        while (visibleEnd > valueStart && Ascii.isWhitespace(buf.get(base + visibleEnd - 1))) {
            visibleEnd--; // trailing OWS is not part of the value
        }
        valueEnd = visibleEnd;
        pos++;
        state = FIELD_LF;
        return true;
    }

    /** Records a refusal; returns false for a boolean check to pass on. */
    boolean reject(int status, String reason) {
        fail(status, reason);
        return false;
    }

    /** Records a refusal; returns {@link #ERROR} for the caller to pass on. */
    int fail(int status, String reason) {
        errorStatus = status;
        errorReason = reason;
        state = DONE;
        return ERROR;
    }

    private int overLimit() {
        return switch (state) {
            // The version is of fixed length, so past the method it is the target that made the line too long.
            case TARGET, VERSION, REQUEST_LINE_LF -> fail(414, "request-target longer than the limit");
            case LEADING, LEADING_LF, METHOD -> fail(400, "request line longer than the limit");
            default -> fail(431, "header section larger than the limit");
        };
    }

    private HttpMethod methodOf(int start, int end) {
        switch (end - start) {
            case 3 -> {
                if (is(start, "GET")) return HttpMethod.GET;
                if (is(start, "PUT")) return HttpMethod.PUT;
            }
            case 4 -> {
                if (is(start, "POST")) return HttpMethod.POST;
                if (is(start, "HEAD")) return HttpMethod.HEAD;
            }
            case 5 -> {
                if (is(start, "PATCH")) return HttpMethod.PATCH;
                if (is(start, "TRACE")) return HttpMethod.TRACE;
            }
            case 6 -> {
                if (is(start, "DELETE")) return HttpMethod.DELETE;
            }
            case 7 -> {
                if (is(start, "OPTIONS")) return HttpMethod.OPTIONS;
                if (is(start, "CONNECT")) return HttpMethod.CONNECT;
            }
            default -> { }
        }
        return HttpMethod.of(head.latin1(start, end));
    }

    private boolean is(int start, String name) {
        for (int i = 0; i < name.length(); i++) {
            if (head.byteAt(start + i) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A field line ended (pos is just after its LF): record it and act on the fields that matter. */
    private boolean fieldComplete() {
        int ns = tokenStart;
        int ne = nameEnd;
        int vs = valueStart;
        int ve = valueEnd;
        fieldLines++;
        if (dropUnderscoreNames && containsUnderscore(ns, ne)) {
            return true;
        }
        head.addField(ns, ne, vs, ve);
        switch (ne - ns) {
            case 4 -> {
                if (head.equalsIgnoreCase(ns, ne, "host")) {
                    return host(vs, ve);
                }
            }
            case 6 -> {
                if (head.equalsIgnoreCase(ns, ne, "expect")) {
                    if (head.equalsIgnoreCase(vs, ve, "100-continue")) {
                        head.expectContinue = true;
                    } else {
                        expectOther = true;
                    }
                }
            }
            case 10 -> {
                if (head.equalsIgnoreCase(ns, ne, "connection")) {
                    connectionOptions(vs, ve);
                }
            }
            case 12 -> {
                if (head.equalsIgnoreCase(ns, ne, "content-type") && ++contentTypeCount > 1) {
                    return reject(400, "more than one Content-Type");
                }
            }
            case 14 -> {
                if (head.equalsIgnoreCase(ns, ne, "content-length")) {
                    return contentLength(vs, ve);
                }
            }
            case 17 -> {
                if (head.equalsIgnoreCase(ns, ne, "transfer-encoding")) {
                    return transferEncoding(vs, ve);
                }
            }
            default -> { }
        }
        return true;
    }

    private boolean host(int vs, int ve) {
        if (++hostCount > 1) {
            return reject(400, "more than one Host header field");
        }
        head.hostField = head.fieldCount - 1;
        // Empty is allowed: RFC 9112 section 3.2 has a client send exactly that when the target URI
        // has no authority, and uri-host may be an empty reg-name.
        if (vs < ve && !RequestTargets.isValidHost(head, vs, ve, false)) {
            return reject(400, "invalid Host header field");
        }
        return true;
    }

    /**
     * Content-Length frames the body, so only its plain form is accepted: digits without sign, leading
     * zeros or list commas, once per request. Whitespace around the value is not part of it (RFC 9112
     * section 5: a parser excludes it), however much there is.
     */
    private boolean contentLength(int vs, int ve) {
        if (head.contentLength >= 0) {
            return reject(400, "more than one Content-Length");
        }
        if (vs == ve) {
            return reject(400, "empty Content-Length");
        }
        if (ve - vs > 1 && head.byteAt(vs) == '0') {
            return reject(400, "leading zeros in Content-Length");
        }
        if (ve - vs > 18) {
            return reject(400, "Content-Length too large to be a length");
        }
        long value = 0;
        for (int i = vs; i < ve; i++) {
            int d = head.byteAt(i) - '0';
            if (d < 0 || d > 9) {
                return reject(400, "Content-Length is not a decimal number");
            }
            value = value * 10 + d;
        }
        head.contentLength = value;
        return true;
    }

    private boolean containsUnderscore(int start, int end) {
        for (int i = start; i < end; i++) {
            if (head.byteAt(i) == '_') {
                return true;
            }
        }
        return false;
    }

    private void connectionOptions(int vs, int ve) {
        int i = vs;
        while (i < ve) {
            int c = head.byteAt(i);
            if (c == ',' || Ascii.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            while (i < ve && head.byteAt(i) != ',') {
                i++;
            }
            int end = i;
            while (end > start && Ascii.isWhitespace(head.byteAt(end - 1))) {
                end--;
            }
            if (head.equalsIgnoreCase(start, end, "close")) {
                head.connectionClose = true;
            } else if (head.equalsIgnoreCase(start, end, "keep-alive")) {
                head.connectionKeepAlive = true;
            }
        }
    }

    /** Counts the codings of one Transfer-Encoding line; the verdict waits for the whole head. */
    private boolean transferEncoding(int vs, int ve) {
        teSeen = true;
        int i = vs;
        while (i < ve) {
            int c = head.byteAt(i);
            if (c == ',' || Ascii.isWhitespace(c)) {
                i++; // RFC 9110 section 5.6.1: empty list elements are ignored
                continue;
            }
            int start = i;
            while (i < ve && Ascii.isTokenChar(head.byteAt(i))) {
                i++;
            }
            if (i == start) {
                return reject(400, "invalid Transfer-Encoding");
            }
            int codingEnd = i;
            while (i < ve && Ascii.isWhitespace(head.byteAt(i))) {
                i++;
            }
            boolean parameters = i < ve && head.byteAt(i) == ';';
            if (parameters) {
                i = RequestTargets.skipParameters(head, i, ve);
                if (i < 0) {
                    return reject(400, "invalid Transfer-Encoding parameters");
                }
            }
            if (i < ve && head.byteAt(i) != ',') {
                return reject(400, "invalid Transfer-Encoding");
            }
            // chunked takes no parameters: "chunked;x=y" is some other coding.
            if (!parameters && head.equalsIgnoreCase(start, codingEnd, "chunked")) {
                teChunked++;
                teLastChunked = true;
            } else {
                teOther++;
                teLastChunked = false;
            }
        }
        return true;
    }

    /** The head ended: the checks that need every field. */
    private int finish() {
        if (head.minorVersion >= 1 && hostCount == 0) {
            return fail(400, "HTTP/1.1 request without a Host header field");
        }
        if (teSeen) {
            if (head.minorVersion == 0) {
                return fail(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            if (head.contentLength >= 0) {
                return fail(400, "both Content-Length and Transfer-Encoding");
            }
            if (teChunked > 1 || (teChunked == 1 && !teLastChunked)) {
                return fail(400, "chunked must be the last transfer coding, applied once");
            }
            if (teOther > 0) {
                return fail(501, "transfer coding not implemented; only chunked is");
            }
            if (teChunked == 0) {
                return fail(400, "empty Transfer-Encoding");
            }
            head.chunked = true;
        }
        if (head.minorVersion == 0) {
            head.expectContinue = false; // RFC 9110 section 10.1.1: ignored in HTTP/1.0
        } else if (expectOther) {
            return fail(417, "unsupported expectation; only 100-continue is");
        }
        if (head.contentLength > maxBody) {
            return fail(413, "request body larger than the limit");
        }
        return COMPLETE;
    }
}
