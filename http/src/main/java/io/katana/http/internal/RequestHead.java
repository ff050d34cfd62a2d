package io.katana.http.internal;

import io.katana.http.HttpMethod;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where the parts of one parsed request head lie: offsets into the bytes of the head, which stay
 * where the reactor put them (no copy) until {@link #detach()} copies them into an array of the
 * head's own.
 *
 * <p>Offsets are relative to the first byte of the request (any empty lines before the request line
 * included), so they stay valid when the reactor presents the same unconsumed bytes again at another
 * address.
 *
 * <p><b>Threading:</b> written by the reactor thread while parsing; read by whoever holds the request
 * under the rules of {@link ServerRequest}.
 */
public final class RequestHead {

    /** {@code /path?query} */
    public static final int ORIGIN_FORM = 0;
    /** {@code http://host/path?query} */
    public static final int ABSOLUTE_FORM = 1;
    /** {@code host:port}, CONNECT only */
    public static final int AUTHORITY_FORM = 2;
    /** {@code *}, OPTIONS only */
    public static final int ASTERISK_FORM = 3;

    private static final int FIELD_STRIDE = 4;

    // Where the bytes are: a reactor buffer at an absolute base index, or an array of our own.
    private ByteBuffer buffer;
    private int base;
    private byte[] bytes;

    int length;
    HttpMethod method;
    int methodStart;
    int methodEnd;
    int targetStart;
    int targetEnd;
    int targetForm;
    int authorityStart;
    int authorityEnd;
    int pathStart;
    int pathEnd;
    int queryStart;
    int queryEnd;
    int minorVersion;

    int[] fields = new int[16 * FIELD_STRIDE];
    int fieldCount;
    int hostField;
    long contentLength;
    boolean chunked;
    boolean connectionClose;
    boolean connectionKeepAlive;
    boolean expectContinue;

    /** Forgets the previous request; the next parse fills the offsets in. */
    void reset() {
        buffer = null;
        bytes = null;
        base = 0;
        length = 0;
        method = null;
        targetForm = ORIGIN_FORM;
        authorityStart = -1;
        authorityEnd = -1;
        queryStart = -1;
        queryEnd = -1;
        minorVersion = 1;
        fieldCount = 0;
        hostField = -1;
        contentLength = -1;
        chunked = false;
        connectionClose = false;
        connectionKeepAlive = false;
        expectContinue = false;
    }

    /** Points the offsets at a reactor buffer whose request starts at absolute index {@code base}. */
    void attach(ByteBuffer source, int baseIndex) {
        this.buffer = source;
        this.base = baseIndex;
        this.bytes = null;
    }

    /**
     * Copies the head's bytes into an array of its own, so it no longer depends on the reactor's
     * buffer (valid only during one read callback).
     */
    public void detach() {
        if (bytes != null) {
            return;
        }
        byte[] copy = new byte[length];
        buffer.get(base, copy, 0, length);
        bytes = copy;
        buffer = null;
        base = 0;
    }

    /** Whether the head owns its bytes (see {@link #detach()}). */
    public boolean isDetached() {
        return bytes != null;
    }

    /** The byte at an offset relative to the start of the request. */
    public byte byteAt(int offset) {
        return bytes != null ? bytes[offset] : buffer.get(base + offset);
    }

    /** The bytes between two offsets as a string, one char per byte (ISO-8859-1). */
    public String latin1(int start, int end) {
        return new String(copy(start, end), StandardCharsets.ISO_8859_1);
    }

    /** A copy of the bytes between two offsets. */
    public byte[] copy(int start, int end) {
        byte[] out = new byte[end - start];
        if (bytes != null) {
            System.arraycopy(bytes, start, out, 0, out.length);
        } else {
            buffer.get(base + start, out, 0, out.length);
        }
        return out;
    }

    /** Copies the bytes between two offsets into {@code dst} at {@code at}. */
    public void copyTo(int start, int end, byte[] dst, int at) {
        if (bytes != null) {
            System.arraycopy(bytes, start, dst, at, end - start);
        } else {
            buffer.get(base + start, dst, at, end - start);
        }
    }

    /** Whether the bytes between two offsets equal {@code lowerCase} ignoring ASCII case. */
    public boolean equalsIgnoreCase(int start, int end, String lowerCase) {
        if (end - start != lowerCase.length()) {
            return false;
        }
        for (int i = 0; i < lowerCase.length(); i++) {
            if (Ascii.toLower(byteAt(start + i)) != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the bytes between two offsets equal {@code name} ignoring ASCII case (any case in name). */
    public boolean equalsIgnoreCaseAnyCase(int start, int end, CharSequence name) {
        if (end - start != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7f || Ascii.toLower(byteAt(start + i)) != Ascii.toLower(c)) {
                return false;
            }
        }
        return true;
    }

    void addField(int nameStart, int nameEnd, int valueStart, int valueEnd) {
        int at = fieldCount * FIELD_STRIDE;
        if (at + FIELD_STRIDE > fields.length) {
            fields = Arrays.copyOf(fields, fields.length * 2);
        }
        fields[at] = nameStart;
        fields[at + 1] = nameEnd;
        fields[at + 2] = valueStart;
        fields[at + 3] = valueEnd;
        fieldCount++;
    }

    public int length() {
        return length;
    }

    public HttpMethod method() {
        return method;
    }

    public int targetStart() {
        return targetStart;
    }

    public int targetEnd() {
        return targetEnd;
    }

    public int targetForm() {
        return targetForm;
    }

    public int authorityStart() {
        return authorityStart;
    }

    public int authorityEnd() {
        return authorityEnd;
    }

    /** Start of the path; equal to {@link #pathEnd()} for an absolute-form target with an empty path. */
    public int pathStart() {
        return pathStart;
    }

    public int pathEnd() {
        return pathEnd;
    }

    /** Start of the query after the '?', or -1 when the target has none. */
    public int queryStart() {
        return queryStart;
    }

    public int queryEnd() {
        return queryEnd;
    }

    /** 0 for HTTP/1.0, 1 for HTTP/1.1 (and later 1.x versions, served as 1.1). */
    public int minorVersion() {
        return minorVersion;
    }

    public int fieldCount() {
        return fieldCount;
    }

    public int fieldNameStart(int index) {
        return fields[index * FIELD_STRIDE];
    }

    public int fieldNameEnd(int index) {
        return fields[index * FIELD_STRIDE + 1];
    }

    public int fieldValueStart(int index) {
        return fields[index * FIELD_STRIDE + 2];
    }

    public int fieldValueEnd(int index) {
        return fields[index * FIELD_STRIDE + 3];
    }

    /** The index of the Host field, or -1. */
    public int hostField() {
        return hostField;
    }

    /** The Content-Length, or -1 when the request has none. */
    public long contentLength() {
        return contentLength;
    }

    /** Whether the body is chunked (Transfer-Encoding ending in, and containing only, chunked). */
    public boolean isChunked() {
        return chunked;
    }

    public boolean connectionClose() {
        return connectionClose;
    }

    public boolean connectionKeepAlive() {
        return connectionKeepAlive;
    }

    public boolean expectContinue() {
        return expectContinue;
    }

    /** Whether the connection may carry another request after this one, per RFC 9112 section 9.3. */
    public boolean keepAlive() {
        if (connectionClose) {
            return false;
        }
        return minorVersion >= 1 || connectionKeepAlive;
    }
}
