package io.katana.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The body of a streamed response, sent chunk by chunk, with backpressure from the connection.
 *
 * <p>Each {@code write} queues one chunk and sends it as soon as the socket takes it; nothing blocks.
 * When the client reads slower than the handler writes, the connection's outbound queue grows past
 * its high water mark and {@link #isWritable()} turns false: a well-behaved producer then waits, with
 * {@link #onWritable(Runnable)} (event style) or {@link #awaitWritable(Duration)} (on a virtual or
 * other non-reactor thread), before writing more.
 *
 * <p>A stream of a {@linkplain HttpResponse#stream(long) known length} sends its bytes as they are,
 * after a {@code Content-Length} header; otherwise each write is one chunk. {@link #onClose} tells the
 * producer when the stream ends, whole or cut short: event-style producers stop there.
 *
 * <p><b>Threading:</b> every method may be called from any thread; writes from one thread are sent in
 * order. {@link #close()} completes the response; the request's connection then serves its next
 * request.
 */
public interface ResponseStream extends AutoCloseable {

    /**
     * Queues {@code data} as one chunk. Dropped once the stream was {@linkplain #onClose cut}.
     *
     * @param data the bytes, copied before this returns; an empty array sends nothing
     * @throws IllegalStateException after {@link #close()}, or if a known length would be exceeded
     */
    default void write(byte[] data) {
        write(ByteBuffer.wrap(Objects.requireNonNull(data, "data")));
    }

    /**
     * Queues the remaining bytes of {@code data} (copied) as one chunk.
     *
     * @param data the bytes, from position to limit
     * @throws IllegalStateException after {@link #close()}, or if a known length would be exceeded
     */
    void write(ByteBuffer data);

    /**
     * Queues {@code text} in UTF-8 as one chunk.
     *
     * @param text the text
     * @throws IllegalStateException after {@link #close()}, or if a known length would be exceeded
     */
    default void write(String text) {
        write(ByteBuffer.wrap(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8)));
    }

    /** {@return whether the connection takes more without queueing past its high water mark} */
    boolean isWritable();

    /**
     * Runs {@code action} once on the connection's reactor thread as soon as it is writable (at once,
     * through the reactor, if it is now). Replaces an action registered before that has not run. Not
     * run if the connection closes first.
     *
     * @param action what to do next, typically write more; it must not block
     */
    void onWritable(Runnable action);

    /**
     * Blocks the calling thread until the connection is writable, it closes, or {@code timeout} passes.
     *
     * @param timeout the longest wait
     * @return true if writable, false on timeout or when the connection closed
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException when called on the reactor thread, which must never block
     */
    boolean awaitWritable(Duration timeout) throws InterruptedException;

    /**
     * {@return whether the stream is open: not closed, and its connection still open} A producer that
     * sees false should stop: nothing more will reach the client.
     */
    boolean isOpen();

    /**
     * Runs {@code action} once when the stream ends: with {@code null} once {@link #close()} has
     * completed the response, or with the reason it was cut short (the client closed or reset the
     * connection, the request timeout passed, the stream was closed short of its declared length, the
     * server aborted the connection). After a cut, writes are dropped.
     *
     * <p>Runs on the connection's reactor thread and must not block; registered after the end, it runs
     * at once on the calling thread. Several actions run in the order registered.
     *
     * @param action told null after a whole response, else why the stream was cut
     * @return this stream, for chaining
     */
    ResponseStream onClose(Consumer<Throwable> action);

    /**
     * Ends the body (the last chunk) and completes the response. Calling it again does nothing. A
     * stream of a known length closed before all its bytes were written aborts the connection instead.
     */
    @Override
    void close();
}
