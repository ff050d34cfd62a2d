package io.katana.http.internal;

/**
 * The one byte range of a {@code Range: bytes=...} request field that the static-file handler
 * serves (RFC 9110 section 14.1.2), resolved against the representation's length.
 *
 * <p><b>Threading:</b> immutable.
 *
 * @param first the first byte, inclusive
 * @param last the last byte, inclusive
 */
public record ByteRange(long first, long last) {

    /** What a {@code Range} field asks of a representation of a given length. */
    public sealed interface Request permits Whole, Satisfiable, Unsatisfiable {}

    /** Serve the whole representation: no range asked, a field this server ignores, or several ranges. */
    public record Whole() implements Request {}

    /** Serve this one range with 206. */
    public record Satisfiable(ByteRange range) implements Request {}

    /** Answer 416: the one range asked lies wholly past the end. */
    public record Unsatisfiable() implements Request {}

    private static final Request WHOLE = new Whole();
    private static final Request UNSATISFIABLE = new Unsatisfiable();

    /** {@return the number of bytes in the range} */
    public long length() {
        return last - first + 1;
    }

    /**
     * Reads {@code field} against a representation of {@code length} bytes. A malformed field, another
     * unit than bytes, and a list of several ranges are answered with the whole representation, which
     * RFC 9110 allows (a server may ignore Range).
     *
     * @param field the Range field's value, or null
     * @param length the representation's length in bytes
     */
    public static Request parse(String field, long length) {
        if (field == null) {
            return WHOLE;
        }
        String value = field.strip();
        if (value.length() < 6 || !value.regionMatches(true, 0, "bytes=", 0, 6)) {
            return WHOLE;
        }
        String spec = value.substring(6).strip();
        if (spec.indexOf(',') >= 0) {
            return WHOLE; // several ranges: served whole, not as multipart/byteranges
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return WHOLE;
        }
        String from = spec.substring(0, dash).strip();
        String to = spec.substring(dash + 1).strip();
        long first;
        long last;
        if (from.isEmpty()) {
            long suffix = digits(to);
            if (suffix < 0) {
                return WHOLE;
            }
            if (suffix == 0 || length == 0) {
                return UNSATISFIABLE;
            }
            first = Math.max(0, length - suffix);
            last = length - 1;
        } else {
            first = digits(from);
            last = to.isEmpty() ? length - 1 : digits(to);
            if (first < 0 || last < 0 || last < first) {
                return WHOLE; // invalid ranges are ignored, RFC 9110 section 14.1.1
            }
            if (first >= length) {
                return UNSATISFIABLE;
            }
            last = Math.min(last, length - 1);
        }
        return new Satisfiable(new ByteRange(first, last));
    }

    /** The value of a run of ASCII digits, or -1 if {@code text} is not one (or overflows). */
    private static long digits(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
