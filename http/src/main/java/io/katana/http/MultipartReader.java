package io.katana.http;

import io.katana.http.internal.MultipartParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Reads a {@code multipart/form-data} body (RFC 7578) part by part as it arrives, each part's content
 * a stream read straight from the connection: an upload of any size passes through a fixed amount of
 * memory (one 64 KiB read buffer here, plus the few chunks the body stream holds).
 *
 * <pre>{@code
 * .post("/upload", HttpHandler.blocking(HttpHandler.streaming((req, res) -> {
 *     MultipartReader parts = req.multipart();
 *     for (Part part = parts.next(); part != null; part = parts.next()) {
 *         if (part.filename() != null) {
 *             try (OutputStream file = Files.newOutputStream(safePath(part.filename()))) {
 *                 part.inputStream().transferTo(file);
 *             }
 *         } else {
 *             fields.put(part.name(), part.contentAsString());
 *         }
 *     }
 *     res.send("stored");
 * })))
 * }</pre>
 *
 * <p>A malformed body fails a read with an {@link HttpStatusException} (400), as does a body that
 * ends before its closing boundary; more than 1000 parts, or a part header section over 16 KiB, with
 * 413. Let it propagate and the client gets that status.
 *
 * <p><b>Threading:</b> blocking; for one thread (a {@link HttpHandler#blocking blocking} handler's),
 * not thread-safe.
 */
public final class MultipartReader {

    /** Parts one body may have; more is answered 413. */
    public static final int MAX_PARTS = 1000;
    /** Bytes of one part's header section; more is answered 413. */
    public static final int MAX_PART_HEADER_BYTES = 16 * 1024;

    private static final int READ_SIZE = 64 * 1024;
    private static final Object PART_END = new Object();

    private final InputStream body;
    private final MultipartParser parser;
    private final byte[] buffer = new byte[READ_SIZE];
    /**
     * What the parser found in the last read: part headers, data slices of {@link #buffer}, part ends.
     * The buffer is read into again only once this is empty, so the slices stay valid.
     */
    private final ArrayDeque<Object> found = new ArrayDeque<>();
    private boolean bodyEnded;
    private PartContent current;

    /**
     * Reads the multipart body of {@code body}.
     *
     * @param contentType the request's {@code Content-Type}, which names the boundary
     * @param body the request body
     * @throws HttpStatusException 415 if the type is not {@code multipart/form-data}, 400 if its
     *     boundary is missing or malformed
     */
    MultipartReader(String contentType, InputStream body) {
        this.body = body;
        this.parser = new MultipartParser(MultipartParser.boundary(contentType), MAX_PART_HEADER_BYTES, MAX_PARTS,
                new MultipartParser.Listener() {
                    @Override
                    public void partBegin(HttpHeaders headers) {
                        found.add(headers);
                    }

                    @Override
                    public void partData(ByteBuffer data) {
                        found.add(data);
                    }

                    @Override
                    public void partEnd() {
                        found.add(PART_END);
                    }
                });
    }

    /**
     * {@return the next part, or null after the last} Whatever of the previous part was not read is
     * skipped.
     *
     * @throws IOException if the body cannot be read (the client left)
     * @throws HttpStatusException if the body is malformed or over a limit
     */
    public Part next() throws IOException {
        if (current != null) {
            current.skipRest();
            current = null;
        }
        Object next = take();
        if (next == null) {
            return null;
        }
        if (!(next instanceof HttpHeaders headers)) {
            throw new IllegalStateException("multipart events out of order: " + next);
        }
        current = new PartContent();
        return new Part(headers, current);
    }

    /** The next thing found, reading more of the body when nothing is left; null at the end of the body. */
    private Object take() throws IOException {
        while (found.isEmpty()) {
            if (bodyEnded) {
                return null;
            }
            int n = body.read(buffer);
            if (n < 0) {
                bodyEnded = true;
                parser.finish();
            } else if (n > 0) {
                try {
                    parser.feed(ByteBuffer.wrap(buffer, 0, n));
                } catch (IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException("the multipart listener failed", e); // it only queues
                }
            }
        }
        return found.poll();
    }

    /** The content of the current part: the data slices up to its end. */
    private final class PartContent extends InputStream {
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, into.length);
            if (ended || current != this) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            Object next = found.peek();
            if (next == null) {
                next = take();
                if (next == null) {
                    throw new IllegalStateException("the multipart body ended inside a part"); // finish() fails first
                }
                found.addFirst(next);
            }
            if (next == PART_END) {
                found.poll();
                ended = true;
                return -1;
            }
            ByteBuffer data = (ByteBuffer) next;
            int n = Math.min(length, data.remaining());
            data.get(into, offset, n);
            if (!data.hasRemaining()) {
                found.poll();
            }
            return n;
        }

        void skipRest() throws IOException {
            while (!ended) {
                Object next = take();
                if (next == null) {
                    throw new IllegalStateException("the multipart body ended inside a part"); // finish() fails first
                }
                if (next == PART_END) {
                    ended = true;
                }
            }
        }
    }
}
