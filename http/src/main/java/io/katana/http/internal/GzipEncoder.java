package io.katana.http.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Produces a gzip member (RFC 1952) from one or more pieces of input: the header first, deflated
 * data, then CRC-32 and size.
 *
 * <p><b>Threading:</b> confined to one thread at a time. Holds a {@link Deflater}'s native memory
 * until {@link #finish()} or {@link #end()}.
 */
final class GzipEncoder {

    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private long inputSize;
    private boolean headerWritten;
    private byte[] out = new byte[512];
    private int length;

    GzipEncoder(int level) {
        deflater = new Deflater(level, true);
    }

    /** Compresses a whole body at once. */
    static byte[] compress(ByteBuffer body, int level) {
        GzipEncoder encoder = new GzipEncoder(level);
        try {
            byte[] head = encoder.update(body, false);
            byte[] rest = encoder.finish();
            byte[] all = Arrays.copyOf(head, head.length + rest.length);
            System.arraycopy(rest, 0, all, head.length, rest.length);
            return all;
        } finally {
            encoder.end();
        }
    }

    /**
     * Compresses the remaining bytes of {@code data} (its position moves to its limit).
     *
     * @param flush whether everything given so far must come out now (a sync flush), as a stream needs
     * @return the bytes to send, possibly none
     */
    byte[] update(ByteBuffer data, boolean flush) {
        length = 0;
        if (!headerWritten) {
            append(HEADER, HEADER.length);
            headerWritten = true;
        }
        crc.update(data.duplicate());
        inputSize += data.remaining();
        deflater.setInput(data);
        drain(flush ? Deflater.SYNC_FLUSH : Deflater.NO_FLUSH);
        data.position(data.limit());
        return Arrays.copyOf(out, length);
    }

    /** Ends the member: what the deflater still holds, then CRC-32 and size; frees the deflater. */
    byte[] finish() {
        length = 0;
        if (!headerWritten) {
            append(HEADER, HEADER.length);
            headerWritten = true;
        }
        deflater.finish();
        while (!deflater.finished()) {
            deflate(Deflater.NO_FLUSH);
        }
        int value = (int) crc.getValue();
        int size = (int) inputSize; // ISIZE is the size modulo 2^32
        byte[] trailer = {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24),
            (byte) size, (byte) (size >>> 8), (byte) (size >>> 16), (byte) (size >>> 24)};
        append(trailer, trailer.length);
        deflater.end();
        return Arrays.copyOf(out, length);
    }

    /** Frees the deflater's native memory; the encoder cannot be used after. */
    void end() {
        deflater.end();
    }

    private void drain(int flushMode) {
        while (!deflater.needsInput()) {
            deflate(Deflater.NO_FLUSH);
        }
        if (flushMode == Deflater.SYNC_FLUSH) {
            // A full output buffer may hide more flushed bytes: deflate until it comes back short.
            while (deflate(Deflater.SYNC_FLUSH)) {
                // keep going
            }
        }
    }

    /** @return whether the output filled the room given, so more may be pending */
    private boolean deflate(int flushMode) {
        if (out.length - length < 256) {
            out = Arrays.copyOf(out, out.length * 2);
        }
        int room = out.length - length;
        int n = deflater.deflate(out, length, room, flushMode);
        length += n;
        return n == room;
    }

    private void append(byte[] bytes, int count) {
        if (out.length - length < count) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, length + count));
        }
        System.arraycopy(bytes, 0, out, length, count);
        length += count;
    }
}
