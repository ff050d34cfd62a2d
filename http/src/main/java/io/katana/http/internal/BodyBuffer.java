package io.katana.http.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable byte array that collects a request body which did not arrive in one read, or was
 * chunked. A connection keeps one and reuses it; a large one is dropped after its request so an idle
 * connection does not hold much memory.
 *
 * <p><b>Threading:</b> confined to one connection's reactor thread, until handed to a request.
 */
public final class BodyBuffer implements ChunkedDecoder.Sink {

    /** Arrays up to this size are kept for the next request; larger ones are given up. */
    static final int KEEP_CAPACITY = 16 * 1024;

    private static final byte[] EMPTY = new byte[0];

    private byte[] array = EMPTY;
    private int length;

    /** Empties the buffer, keeping a small array for reuse. */
    public void clear() {
        length = 0;
        if (array.length > KEEP_CAPACITY) {
            array = EMPTY;
        }
    }

    /** Makes room for {@code expected} bytes in total, as announced by a Content-Length. */
    public void expect(long expected) {
        // Grow towards the announced size gradually: a Content-Length alone must not make us allocate.
        ensure((int) Math.min(expected, 64 * 1024));
    }

    /** Appends {@code count} bytes of {@code src} from absolute index {@code from}. */
    public void append(ByteBuffer src, int from, int count) {
        ensure(length + count);
        src.get(from, array, length, count);
        length += count;
    }

    @Override
    public boolean data(ByteBuffer src, int from, int count) {
        append(src, from, count);
        return true;
    }

    /** The bytes collected so far. */
    public int length() {
        return length;
    }

    /** The backing array; valid bytes are {@code [0, length())}. */
    public byte[] array() {
        return array;
    }

    /** Gives the collected bytes away (the caller owns the returned array) and starts empty. */
    public byte[] take() {
        byte[] out = array;
        array = EMPTY;
        length = 0;
        return out;
    }

    private void ensure(int capacity) {
        if (capacity > array.length) {
            int grown = Math.max(capacity, Math.max(1024, array.length * 2));
            array = Arrays.copyOf(array, grown);
        }
    }
}
