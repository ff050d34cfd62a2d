package io.katana.http.internal;

import io.katana.http.HttpLimits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An incremental, strict decoder of the chunked transfer coding (RFC 9112 section 7.1): chunk sizes,
 * extensions (checked, then ignored), data and the trailer section. It consumes what it is given and
 * keeps its place in a small state machine, so a body may arrive split anywhere.
 *
 * <p>Refused: a missing or non-hex size, whitespace after a size that no extension follows, a bare
 * ';', malformed extensions, bare CR or LF, data longer than its size, trailer fields that could
 * change how the message is framed, routed or authorised. Limits: the body size (413), the trailer
 * section size and field count (431), 4 KiB per chunk-size line (400).
 *
 * <p><b>Threading:</b> confined to one connection's reactor thread; reused for every request.
 */
public final class ChunkedDecoder {

    /** Where decoded data goes. */
    public interface Sink {
        /**
         * Takes {@code count} decoded bytes of {@code src} from absolute index {@code from}.
         *
         * @return whether to go on decoding; false makes {@link #decode} return {@link #NEED_MORE}
         *     right after these bytes, to be called again with the rest when the sink wants more
         */
        boolean data(ByteBuffer src, int from, int count);
    }

    public static final int NEED_MORE = 0;
    public static final int DONE = 1;
    public static final int ERROR = 2;

    static final int MAX_CHUNK_LINE = 4096;

    /** Fields a trailer must not carry: they frame, route or authorise the request, or describe its content. */
    private static final Set<String> PROHIBITED_TRAILERS = Set.of(
            "content-length", "transfer-encoding", "host", "authorization", "proxy-authorization",
            "content-type", "content-encoding", "content-range", "trailer", "te", "connection",
            "keep-alive", "upgrade", "expect", "range", "max-forwards");

    private static final int SIZE_START = 0;
    private static final int SIZE = 1;
    private static final int SIZE_WS = 2;
    private static final int EXT_START = 3;
    private static final int EXT_NAME = 4;
    private static final int EXT_NAME_WS = 5;
    private static final int EXT_VALUE_START = 6;
    private static final int EXT_TOKEN = 7;
    private static final int EXT_QUOTED = 8;
    private static final int EXT_QUOTED_ESCAPE = 9;
    private static final int EXT_AFTER_VALUE = 10;
    private static final int SIZE_LF = 11;
    private static final int DATA = 12;
    private static final int DATA_CR = 13;
    private static final int DATA_LF = 14;
    private static final int TRAILER_START = 15;
    private static final int TRAILER_NAME = 16;
    private static final int TRAILER_VALUE = 17;
    private static final int TRAILER_LF = 18;
    private static final int FINAL_LF = 19;
    private static final int FINISHED = 20;

    private final int maxTrailerBytes;
    private final int maxTrailerCount;

    private Sink sink;
    private long maxBody;
    private long decodedLength;
    private int state = FINISHED;
    private long chunkRemaining;
    private int sizeDigits;
    private int lineBytes;
    private int trailerBytes;
    private byte[] line = new byte[64];
    private int lineLength;
    private int colon;
    private List<String> trailers;
    private int position;
    private int errorStatus;
    private String errorReason;

    public ChunkedDecoder(HttpLimits limits) {
        this.maxTrailerBytes = limits.maxHeaderBlockSize();
        this.maxTrailerCount = limits.maxHeaderCount();
    }

    /** Starts a new body of at most {@code limit} decoded bytes, whose data goes to {@code target}. */
    public void begin(Sink target, long limit) {
        sink = target;
        maxBody = limit;
        decodedLength = 0;
        state = SIZE_START;
        chunkRemaining = 0;
        sizeDigits = 0;
        lineBytes = 0;
        trailerBytes = 0;
        lineLength = 0;
        trailers = null;
        errorStatus = 0;
        errorReason = null;
    }

    /** Absolute index where the last {@link #decode} stopped: the limit, the end of the body, or the error. */
    public int position() {
        return position;
    }

    public int errorStatus() {
        return errorStatus;
    }

    public String errorReason() {
        return errorReason;
    }

    /** Trailer fields as name, value, name, value...; empty when the body had none. */
    public List<String> trailers() {
        return trailers == null ? List.of() : trailers;
    }

    /**
     * Decodes {@code buf} from absolute index {@code from} to {@code limit}; everything before {@link
     * #position()} has been consumed, its data appended to the sink.
     *
     * @return {@link #NEED_MORE}, {@link #DONE} or {@link #ERROR}
     */
    public int decode(ByteBuffer buf, int from, int limit) {
        int i = from;
        while (i < limit) {
            if (state == DATA) {
                int n = (int) Math.min(chunkRemaining, limit - i);
                boolean more = sink.data(buf, i, n);
                i += n;
                chunkRemaining -= n;
                decodedLength += n;
                if (chunkRemaining == 0) {
                    state = DATA_CR;
                }
                if (!more) {
                    position = i;
                    return NEED_MORE;
                }
                continue;
            }
            int b = buf.get(i) & 0xff;
            i++;
            if (state <= SIZE_LF && ++lineBytes > MAX_CHUNK_LINE) {
                return fail(i, 400, "chunk-size line longer than " + MAX_CHUNK_LINE + " bytes");
            }
            int result = step(b);
            if (result != NEED_MORE) {
                position = result == ERROR ? i - 1 : i;
                return result;
            }
        }
        position = i;
        return NEED_MORE;
    }

    private int step(int b) {
        switch (state) {
            case SIZE_START, SIZE -> {
                int digit = Ascii.hexValue(b);
                if (digit >= 0) {
                    if (++sizeDigits > 16) {
                        return fail(400, "chunk size has too many digits");
                    }
                    if (chunkRemaining > (Long.MAX_VALUE >> 4)) {
                        return fail(400, "chunk size too large to be a length");
                    }
                    chunkRemaining = chunkRemaining * 16 + digit;
                    state = SIZE;
                } else if (state == SIZE_START) {
                    return fail(400, "chunk size is not a hexadecimal number");
                } else if (chunkRemaining > maxBody - decodedLength) {
                    // Checked once the size has ended, so that a size too long to be a number is told
                    // apart from a well-formed one over the limit (at most 16 digits are waited for).
                    return fail(413, "request body larger than the limit");
                } else if (b == ';') {
                    state = EXT_START;
                } else if (Ascii.isWhitespace(b)) {
                    state = SIZE_WS;
                } else if (b == Ascii.CR) {
                    state = SIZE_LF;
                } else {
                    return fail(400, "invalid character after the chunk size");
                }
            }
            case SIZE_WS -> {
                if (b == ';') {
                    state = EXT_START;
                } else if (!Ascii.isWhitespace(b)) {
                    return fail(400, "whitespace after the chunk size");
                }
            }
            case EXT_START -> {
                if (Ascii.isTokenChar(b)) {
                    state = EXT_NAME;
                } else if (!Ascii.isWhitespace(b)) {
                    return fail(400, "chunk extension without a name");
                }
            }
            case EXT_NAME -> {
                if (b == '=') {
                    state = EXT_VALUE_START;
                } else if (b == ';') {
                    state = EXT_START;
                } else if (b == Ascii.CR) {
                    state = SIZE_LF;
                } else if (Ascii.isWhitespace(b)) {
                    state = EXT_NAME_WS;
                } else if (!Ascii.isTokenChar(b)) {
                    return fail(400, "invalid character in a chunk extension");
                }
            }
            case EXT_NAME_WS -> {
                if (b == '=') {
                    state = EXT_VALUE_START;
                } else if (b == ';') {
                    state = EXT_START;
                } else if (!Ascii.isWhitespace(b)) {
                    return fail(400, "invalid chunk extension");
                }
            }
            case EXT_VALUE_START -> {
                if (b == '"') {
                    state = EXT_QUOTED;
                } else if (Ascii.isTokenChar(b)) {
                    state = EXT_TOKEN;
                } else if (!Ascii.isWhitespace(b)) {
                    return fail(400, "invalid chunk extension value");
                }
            }
            case EXT_TOKEN -> {
                if (b == ';') {
                    state = EXT_START;
                } else if (b == Ascii.CR) {
                    state = SIZE_LF;
                } else if (Ascii.isWhitespace(b)) {
                    state = EXT_AFTER_VALUE;
                } else if (!Ascii.isTokenChar(b)) {
                    return fail(400, "invalid character in a chunk extension value");
                }
            }
            case EXT_QUOTED -> {
                if (b == '"') {
                    state = EXT_AFTER_VALUE;
                } else if (b == '\\') {
                    state = EXT_QUOTED_ESCAPE;
                } else if (!Ascii.isFieldValueChar(b)) {
                    return fail(400, "control character in a chunk extension");
                }
            }
            case EXT_QUOTED_ESCAPE -> {
                if (!Ascii.isFieldValueChar(b)) {
                    return fail(400, "control character in a chunk extension");
                }
                state = EXT_QUOTED;
            }
            case EXT_AFTER_VALUE -> {
                if (b == ';') {
                    state = EXT_START;
                } else if (b == Ascii.CR) {
                    state = SIZE_LF;
                } else if (!Ascii.isWhitespace(b)) {
                    return fail(400, "invalid chunk extension");
                }
            }
            case SIZE_LF -> {
                if (b != Ascii.LF) {
                    return fail(400, "CR without LF after a chunk size");
                }
                lineBytes = 0;
                sizeDigits = 0;
                state = chunkRemaining == 0 ? TRAILER_START : DATA;
            }
            case DATA_CR -> {
                if (b != Ascii.CR) {
                    return fail(400, "chunk data longer than its size, or not followed by CRLF");
                }
                state = DATA_LF;
            }
            case DATA_LF -> {
                if (b != Ascii.LF) {
                    return fail(400, "CR without LF after chunk data");
                }
                state = SIZE_START;
            }
            case TRAILER_START -> {
                if (b == Ascii.CR) {
                    state = FINAL_LF;
                } else if (Ascii.isTokenChar(b)) {
                    if (trailers != null && trailers.size() / 2 >= maxTrailerCount) {
                        return fail(431, "too many trailer fields");
                    }
                    lineLength = 0;
                    appendLine(b);
                    state = TRAILER_NAME;
                } else if (b == Ascii.LF) {
                    return fail(400, "bare LF in the trailer section");
                } else if (Ascii.isWhitespace(b)) {
                    return fail(400, "obsolete line folding (obs-fold) in a trailer field");
                } else {
                    return fail(400, "invalid character in a trailer field name");
                }
            }
            case TRAILER_NAME -> {
                if (b == ':') {
                    colon = lineLength;
                    appendLine(b);
                    state = TRAILER_VALUE;
                } else if (Ascii.isTokenChar(b)) {
                    appendLine(b);
                } else {
                    return fail(400, "invalid character in a trailer field name");
                }
            }
            case TRAILER_VALUE -> {
                if (b == Ascii.CR) {
                    state = TRAILER_LF;
                } else if (Ascii.isFieldValueChar(b)) {
                    appendLine(b);
                } else {
                    return fail(400, "control character in a trailer field value");
                }
            }
            case TRAILER_LF -> {
                if (b != Ascii.LF) {
                    return fail(400, "CR without LF in the trailer section");
                }
                if (!trailerComplete()) {
                    return ERROR;
                }
                state = TRAILER_START;
            }
            case FINAL_LF -> {
                if (b != Ascii.LF) {
                    return fail(400, "CR without LF at the end of the chunked body");
                }
                state = FINISHED;
                return DONE;
            }
            default -> throw new IllegalStateException("decode called without begin");
        }
        if (state >= TRAILER_START && ++trailerBytes > maxTrailerBytes) {
            return fail(431, "trailer section larger than the limit");
        }
        return NEED_MORE;
    }

    private void appendLine(int b) {
        if (lineLength == line.length) {
            line = java.util.Arrays.copyOf(line, line.length * 2);
        }
        line[lineLength++] = (byte) b;
    }

    private boolean trailerComplete() {
        String name = new String(line, 0, colon, StandardCharsets.ISO_8859_1);
        if (PROHIBITED_TRAILERS.contains(name.toLowerCase(Locale.ROOT))) {
            fail(400, "trailer field that is only allowed in the header section");
            return false;
        }
        int start = colon + 1;
        int end = lineLength;
        while (start < end && Ascii.isWhitespace(line[start])) {
            start++;
        }
        while (end > start && Ascii.isWhitespace(line[end - 1])) {
            end--;
        }
        if (trailers == null) {
            trailers = new ArrayList<>(4);
        }
        trailers.add(name);
        trailers.add(new String(line, start, end - start, StandardCharsets.ISO_8859_1));
        return true;
    }

    private int fail(int status, String reason) {
        errorStatus = status;
        errorReason = reason;
        state = FINISHED;
        return ERROR;
    }

    private int fail(int at, int status, String reason) {
        position = at;
        return fail(status, reason);
    }
}
