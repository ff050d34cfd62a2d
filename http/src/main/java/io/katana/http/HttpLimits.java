package io.katana.http;

/**
 * Size limits on requests and the status a request gets when it exceeds one. Immutable; derive
 * variants with the {@code with} methods.
 *
 * <p>A request over a limit is answered (with {@code Connection: close}) and the connection is then
 * closed; nothing of it reaches a handler.
 *
 * @param maxRequestLineLength bytes of the request line (method, target, version, CRLF); a longer
 *     target is answered 414, a longer method or version 400
 * @param maxHeaderBlockSize bytes of all header field lines together, and separately of a chunked
 *     body's trailer section; more is answered 431
 * @param maxHeaderCount header fields in one request (and trailer fields in one body); more is
 *     answered 431
 * @param maxBodySize bytes of a request body after chunked decoding; more is answered 413
 */
public record HttpLimits(int maxRequestLineLength, int maxHeaderBlockSize, int maxHeaderCount, long maxBodySize) {

    /** 8 KiB request line, 16 KiB of headers, 100 header fields, 10 MiB of body. */
    public static final HttpLimits DEFAULT = new HttpLimits(8 * 1024, 16 * 1024, 100, 10L * 1024 * 1024);

    /**
     * Checks the limits.
     *
     * @param maxRequestLineLength bytes of the request line, at least 64
     * @param maxHeaderBlockSize bytes of the header section (and of a trailer section), at least 64
     * @param maxHeaderCount header fields in one request, at least 1
     * @param maxBodySize bytes of a decoded request body, 0 to {@code Integer.MAX_VALUE - 16} since a
     *     body is held in one array
     * @throws IllegalArgumentException if a limit is out of its range
     */
    public HttpLimits {
        if (maxRequestLineLength < 64) {
            throw new IllegalArgumentException("maxRequestLineLength must be at least 64 bytes, got " + maxRequestLineLength);
        }
        if (maxHeaderBlockSize < 64) {
            throw new IllegalArgumentException("maxHeaderBlockSize must be at least 64 bytes, got " + maxHeaderBlockSize);
        }
        if (maxHeaderCount < 1) {
            throw new IllegalArgumentException("maxHeaderCount must be at least 1, got " + maxHeaderCount);
        }
        if (maxBodySize < 0 || maxBodySize > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxBodySize must be between 0 and " + (Integer.MAX_VALUE - 16)
                    + " bytes (a body is held in one array), got " + maxBodySize);
        }
    }

    /**
     * {@return a copy with this request line limit} Long query strings need more; beyond it the
     * client gets 414.
     *
     * @param value bytes, at least 64
     */
    public HttpLimits withMaxRequestLineLength(int value) {
        return new HttpLimits(value, maxHeaderBlockSize, maxHeaderCount, maxBodySize);
    }

    /**
     * {@return a copy with this header section limit} Large cookies need more; beyond it the client
     * gets 431.
     *
     * @param value bytes, at least 64
     */
    public HttpLimits withMaxHeaderBlockSize(int value) {
        return new HttpLimits(maxRequestLineLength, value, maxHeaderCount, maxBodySize);
    }

    /**
     * {@return a copy with this header count limit}
     *
     * @param value fields, at least 1
     */
    public HttpLimits withMaxHeaderCount(int value) {
        return new HttpLimits(maxRequestLineLength, maxHeaderBlockSize, value, maxBodySize);
    }

    /**
     * {@return a copy with this body size limit} A body is buffered whole before the handler runs, so
     * this bounds the memory one request can take.
     *
     * @param value bytes after chunked decoding; 0 refuses every body
     */
    public HttpLimits withMaxBodySize(long value) {
        return new HttpLimits(maxRequestLineLength, maxHeaderBlockSize, maxHeaderCount, value);
    }
}
