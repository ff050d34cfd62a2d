package io.katana.http;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The body of a streamed response, sent chunk by chunk, with backpressure from the connection.
 *
 * <p>Each {@code write} queues one chunk and sends it as soon as the socket takes it; nothing blocks.
 * When the client reads slower than the handler writes, the connection's outbound queue grows past
 * its high water mark and {@link #isWritable()} turns false: a well-behaved producer then waits, with
 * {@link #onWritable(Runnable)} (event style) or {@link #awaitWritable(Duration)} (on a virtual or
 * other non-reactor thread), before writing more.
 *
 * <p><b>Threading:</b> every method may be called from any thread; writes from one thread are sent in
 * order. {@link #close()} completes the response; the request's connection then serves its next
 * request.
 */
public interface ResponseStream extends AutoCloseable {

    /**
     * Queues {@code data} as one chunk.
     *
     * @param data the bytes, copied before this returns; an empty array sends nothing
     * @throws IllegalStateException after {@link #close()}
     */
    void write(byte[] data);

    /**
     * Queues the remaining bytes of {@code data} (copied) as one chunk.
     *
     * @param data the bytes, from position to limit
     * @throws IllegalStateException after {@link #close()}
     */
    void write(ByteBuffer data);

    /**
     * Queues {@code text} in UTF-8 as one chunk.
     *
     * @param text the text
     * @throws IllegalStateException after {@link #close()}
     */
    void write(String text);

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

    /** Ends the body (the last chunk) and completes the response. Calling it again does nothing. */
    @Override
    void close();
}
