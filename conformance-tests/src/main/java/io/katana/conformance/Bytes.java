package io.katana.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Test data and blocking-socket reading for the checks: random payloads, a position-dependent pattern
 * a receiver verifies without keeping the stream, and reads that end with a clear failure instead of
 * a hang.
 *
 * <p>Threading: stateless; any thread.
 */
final class Bytes {

    static final int KIB = 1024;
    static final int MIB = 1024 * 1024;

    private Bytes() {}

    static byte[] random(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    static ByteBuffer asciiBuffer(String text) {
        return ByteBuffer.wrap(ascii(text));
    }

    /** A copy of the bytes between {@code data}'s position and limit, leaving {@code data} as it was. */
    static byte[] remaining(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }

    /** The byte at {@code offset} of the pattern stream: varies with the offset so a shift shows. */
    static byte patternAt(long offset) {
        return (byte) (offset * 31 + (offset >>> 10) + (offset >>> 20));
    }

    /** A buffer holding {@code size} pattern bytes starting at stream offset {@code start}. */
    static ByteBuffer pattern(long start, int size, boolean direct) {
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        for (int i = 0; i < size; i++) {
            buffer.put(i, patternAt(start + i));
        }
        return buffer;
    }

    /**
     * Reads {@code size} pattern bytes from {@code in} and checks each one.
     *
     * @param pause called after each megabyte, so the caller can read slowly
     */
    static void readPattern(InputStream in, long size, Runnable pause) throws IOException {
        byte[] chunk = new byte[8 * KIB];
        long offset = 0;
        long nextPause = MIB;
        while (offset < size) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, size - offset));
            if (n < 0) {
                throw new AssertionError("the stream ended after " + offset + " of " + size + " bytes");
            }
            for (int i = 0; i < n; i++) {
                if (chunk[i] != patternAt(offset + i)) {
                    throw new AssertionError("byte " + (offset + i) + " of " + size + " is wrong: bytes were lost,"
                            + " repeated or reordered");
                }
            }
            offset += n;
            if (offset >= nextPause) {
                nextPause += MIB;
                pause.run();
            }
        }
    }

    /** Reads exactly {@code size} bytes; fails if the stream ends first or stays silent too long. */
    static byte[] readExactly(Socket socket, int size) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] bytes = new byte[size];
        int offset = 0;
        try {
            while (offset < size) {
                int n = in.read(bytes, offset, size - offset);
                if (n < 0) {
                    throw new AssertionError("the stream ended after " + offset + " of " + size + " expected bytes: "
                            + preview(Arrays.copyOf(bytes, offset)));
                }
                offset += n;
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("only " + offset + " of " + size + " expected bytes arrived within "
                    + socket.getSoTimeout() + " ms", e);
        }
        return bytes;
    }

    /** How a peer's stream ended, seen from a blocking socket: the bytes before the end, and how. */
    record Ending(byte[] data, boolean reset) {}

    /**
     * Reads until the peer ends the stream, by FIN (end of stream) or by reset, and returns what
     * arrived first. Fails if the stream neither ends nor stops within the socket's timeout, or
     * carries more than {@code limit} bytes.
     */
    static Ending readUntilEnd(Socket socket, int limit) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] bytes = new byte[Math.max(limit, 1)];
        int offset = 0;
        try {
            while (true) {
                int n = in.read(bytes, offset, bytes.length - offset);
                if (n < 0) {
                    return new Ending(Arrays.copyOf(bytes, offset), false);
                }
                offset += n;
                if (offset >= bytes.length) {
                    if (offset > limit || in.read() >= 0) {
                        throw new AssertionError("more than the " + limit + " expected bytes arrived");
                    }
                    return new Ending(Arrays.copyOf(bytes, offset), false);
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the peer did not end the stream within " + socket.getSoTimeout()
                    + " ms; " + offset + " bytes arrived: " + preview(Arrays.copyOf(bytes, offset)), e);
        } catch (SocketException e) {
            return new Ending(Arrays.copyOf(bytes, offset), true);
        }
    }

    /** Reads until the peer's FIN and returns what arrived; a reset or a silent peer fails. */
    static byte[] readToEndOfStream(Socket socket, int limit) throws IOException {
        Ending ending = readUntilEnd(socket, limit);
        if (ending.reset()) {
            throw new AssertionError("expected an orderly end of stream (FIN) but the connection was reset after "
                    + ending.data().length + " bytes");
        }
        return ending.data();
    }

    static void assertSameBytes(byte[] expected, byte[] actual, String what) {
        if (Arrays.equals(expected, actual)) {
            return;
        }
        int mismatch = Arrays.mismatch(expected, actual);
        throw new AssertionError(what + ": expected " + expected.length + " bytes, got " + actual.length
                + "; first difference at byte " + mismatch
                + (expected.length <= 64 && actual.length <= 64
                        ? " (expected " + preview(expected) + ", got " + preview(actual) + ")"
                        : ""));
    }

    /** A short printable form of {@code bytes} for failure messages. */
    static String preview(byte[] bytes) {
        int shown = Math.min(bytes.length, 48);
        StringBuilder text = new StringBuilder("\"");
        for (int i = 0; i < shown; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02x", b));
            }
        }
        text.append('"');
        if (shown < bytes.length) {
            text.append("... (").append(bytes.length).append(" bytes)");
        }
        return text.toString();
    }
}
