package io.katana.http;

import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A request body read as it arrives, at the reader's pace, for a route whose handler is {@link
 * HttpHandler#streaming streaming}: the handler runs as soon as the request head is in, and the body
 * never has to fit in memory. Read it one of two ways, once:
 *
 * <ul>
 *   <li><b>Events</b>, on the reactor thread: {@link #subscribe} a {@link Listener}; it gets each
 *       chunk as it is decoded, then the end. {@link #pause()} stops the chunks (the connection stops
 *       reading, so TCP pushes back on the client) and {@link #resume()} starts them again, from any
 *       thread: the way to wait for a slow consumer without buffering.
 *   <li><b>Blocking</b>, on a {@link HttpHandler#blocking blocking} handler's virtual thread: {@link
 *       #inputStream()}. The connection reads only while the stream has room (a few chunks); a reader
 *       that stops reading stops the client.
 * </ul>
 *
 * <p>The response may be sent before the body is read to its end; the server then reads and discards
 * the rest (or closes the connection when the rest is over the body limit) before it serves the next
 * request on the connection.
 *
 * <p><b>Errors.</b> A body over its limit (413), malformed chunked framing (400), a body that stops
 * arriving (408), or a client that leaves mid-body ({@link java.io.IOException}) ends the body with
 * {@link Listener#onError} or an exception from the stream's {@code read}. The server answers the
 * status itself when no response was sent yet.
 *
 * <p><b>Threading:</b> {@link #subscribe}, {@link #pause()} and {@link #resume()} may be called from
 * any thread; listener callbacks run one at a time on the connection's reactor thread and must not
 * block. {@link #inputStream()}'s stream is for one thread, not the reactor's.
 */
public interface RequestBody {

    /** {@return the length the client announced with {@code Content-Length}, or -1 for a chunked body} */
    long contentLength();

    /**
     * Starts delivering the body to {@code listener}, chunk by chunk, on the reactor thread.
     *
     * @param listener receives the body
     * @throws IllegalStateException if the body was already subscribed to or opened as a stream
     */
    void subscribe(Listener listener);

    /** Stops delivering chunks after the one being delivered, until {@link #resume()}. */
    void pause();

    /** Delivers chunks again after {@link #pause()}; the bytes the connection kept come first. */
    void resume();

    /**
     * {@return the body as a blocking stream} Reads wait for bytes from the client; the end of the
     * body is the end of the stream.
     *
     * @throws IllegalStateException if the body was already subscribed to or opened as a stream
     */
    InputStream inputStream();

    /**
     * Receives a body chunk by chunk. All calls run on the connection's reactor thread, one at a time;
     * after {@link #onEnd} or {@link #onError} nothing more comes.
     */
    interface Listener {

        /**
         * Bytes of the body (chunked coding already removed), never empty.
         *
         * @param data the bytes, valid only during the call: copy what must outlive it
         * @throws Exception anything; the request is then answered as when a handler throws, and the
         *     connection closes since the rest of the body is not read
         */
        void onData(ByteBuffer data) throws Exception;

        /**
         * The body is complete.
         *
         * @param trailers the trailer fields of a chunked body; empty otherwise
         * @throws Exception as {@link #onData}
         */
        void onEnd(HttpHeaders trailers) throws Exception;

        /**
         * The body cannot be read to its end.
         *
         * @param cause an {@link HttpStatusException} (413 over the limit, 400 malformed, 408 too slow)
         *     or an {@link java.io.IOException} (the client left)
         */
        void onError(Throwable cause);
    }
}
