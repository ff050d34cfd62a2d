package io.katana.http.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Writes a response's bytes into a growable array: status line, header lines, short bodies. A reactor
 * thread reuses one encoder for all its responses (see {@link #forReactorThread()}); other threads
 * use a fresh one per response.
 *
 * <p><b>Threading:</b> confined to one thread at a time.
 */
public final class ResponseEncoder {

    private static final ThreadLocal<ResponseEncoder> PER_THREAD = ThreadLocal.withInitial(() -> new ResponseEncoder(4096));

    private static final byte[] DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] bytes;
    private int length;
    private ByteBuffer view;

    public ResponseEncoder(int initialCapacity) {
        bytes = new byte[initialCapacity];
        view = ByteBuffer.wrap(bytes);
    }

    /** The encoder of the calling reactor thread, reused by every connection of that reactor. */
    public static ResponseEncoder forReactorThread() {
        return PER_THREAD.get();
    }

    public ResponseEncoder reset() {
        length = 0;
        return this;
    }

    public int length() {
        return length;
    }

    /** The encoded bytes as a buffer from 0 to the length; valid until the next change. */
    public ByteBuffer buffer() {
        view.clear();
        view.limit(length);
        return view;
    }

    /** A copy of the encoded bytes. */
    public byte[] toArray() {
        return Arrays.copyOf(bytes, length);
    }

    public ResponseEncoder put(byte[] src) {
        return put(src, 0, src.length);
    }

    public ResponseEncoder put(byte[] src, int offset, int count) {
        ensure(count);
        System.arraycopy(src, offset, bytes, length, count);
        length += count;
        return this;
    }

    /** Copies the remaining bytes of {@code src} without moving its position. */
    public ResponseEncoder put(ByteBuffer src) {
        int count = src.remaining();
        ensure(count);
        src.get(src.position(), bytes, length, count);
        length += count;
        return this;
    }

    public ResponseEncoder put(int b) {
        ensure(1);
        bytes[length++] = (byte) b;
        return this;
    }

    public ResponseEncoder crlf() {
        ensure(2);
        bytes[length++] = '\r';
        bytes[length++] = '\n';
        return this;
    }

    /** One byte per char; callers have checked the chars are below 256. */
    @SuppressWarnings("deprecation") // deprecated for dropping high bytes, which callers have ruled out
    public ResponseEncoder putLatin1(String text) {
        int n = text.length();
        ensure(n);
        text.getBytes(0, n, bytes, length); // a bulk copy for compact (Latin-1) strings, no allocation
        length += n;
        return this;
    }

    /** {@code text} in UTF-8; {@code utf8Length} is {@link #utf8Length(String)} of it. */
    public ResponseEncoder putUtf8(String text, int utf8Length) {
        ensure(utf8Length);
        if (utf8Length == text.length()) {
            return putLatin1(text);
        }
        int at = length;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes[at++] = (byte) c;
            } else if (c < 0x800) {
                bytes[at++] = (byte) (0xc0 | (c >> 6));
                bytes[at++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                bytes[at++] = (byte) (0xf0 | (cp >> 18));
                bytes[at++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                bytes[at++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                bytes[at++] = (byte) (0x80 | (cp & 0x3f));
            } else if (Character.isSurrogate(c)) {
                bytes[at++] = '?'; // an unpaired surrogate has no UTF-8 form
            } else {
                bytes[at++] = (byte) (0xe0 | (c >> 12));
                bytes[at++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                bytes[at++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        length = at;
        return this;
    }

    /** The number of bytes {@code text} takes in UTF-8 (unpaired surrogates count as one '?'). */
    public static int utf8Length(String text) {
        int n = text.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    bytes += 2; // 4 bytes for two chars
                    i++;
                } else if (!Character.isSurrogate(c)) {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    public ResponseEncoder putDecimal(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative: " + value);
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        ensure(digits);
        long v = value;
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        length += digits;
        return this;
    }

    public ResponseEncoder putHex(long value) {
        int digits = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 3) / 4);
        ensure(digits);
        for (int i = digits - 1; i >= 0; i--) {
            bytes[length + digits - 1 - i] = DIGITS[(int) ((value >>> (i * 4)) & 0xf)];
        }
        length += digits;
        return this;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + more, bytes.length * 2));
            view = ByteBuffer.wrap(bytes);
        }
    }
}
