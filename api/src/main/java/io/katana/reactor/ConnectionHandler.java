package io.katana.reactor;

import java.nio.ByteBuffer;

/**
 * Receives the events of one {@link Connection}.
 *
 * <p><b>Threading:</b> every method is called on the connection's reactor thread, never two at once
 * and always in this order: {@link #onOpen} once; then any number of {@link #onRead}, {@link
 * #onWritabilityChanged}, at most one {@link #onInputClosed} and at most one {@link #onShutdown}; then
 * {@link #onClose} exactly once.
 * A handler instance serves one connection unless its author makes it safe to share. Handlers must
 * not block: hand slow work to another thread and answer through the connection, which accepts
 * calls from any thread.
 *
 * <p><b>Failures:</b> an exception thrown from a callback closes this connection only; it is logged
 * once and passed to {@link #onClose} as the cause. The reactor keeps serving its other connections.
 */
public interface ConnectionHandler {

    /**
     * The connection is established and registered with its reactor.
     *
     * @param connection the new connection
     */
    default void onOpen(Connection connection) {}

    /**
     * Bytes arrived. {@code data} is positioned at the first unread byte and limited at the last; it
     * belongs to the reactor and is valid only during this call.
     *
     * <p>Bytes the handler leaves unconsumed (position below limit when the call returns) are kept
     * by the reactor for this connection and presented again, followed by newer bytes, at the next
     * call. This lets a parser wait for a whole frame without copying. A connection that consumes
     * everything holds no input buffer between reads.
     *
     * @param connection the connection the bytes came from
     * @param data the unread bytes, owned by the reactor; copy what must outlive the call
     */
    void onRead(Connection connection, ByteBuffer data);

    /**
     * The connection's outbound queue crossed a water mark: above the high mark it becomes
     * unwritable, and once drained below the low mark it becomes writable again.
     *
     * <p>Never called inside another callback: a change caused by {@code write} or {@code flush}
     * inside {@code onRead} (or any callback) comes after that callback returns. Meanwhile {@link
     * Connection#isWritable()} already answers false, and it turns true again only once the callback
     * has returned, so a handler that saw false always hears {@code false} and then {@code true}.
     * Changes come in order, alternating, each agreeing with {@code isWritable()} when it is made.
     *
     * @param connection the connection whose queue crossed the mark
     * @param writable the new state: false means stop producing, true means go on
     */
    default void onWritabilityChanged(Connection connection, boolean writable) {}

    /**
     * The peer shut down its output (end of stream). The connection can still write. The default
     * closes the connection once everything queued is written; override to keep talking.
     *
     * @param connection the half-closed connection
     */
    default void onInputClosed(Connection connection) {
        connection.close();
    }

    /**
     * The group is shutting down gracefully ({@link ReactorGroup#shutdownGracefully}): finish what is
     * in progress, then close. Called once, only on a connection that is still open. The default
     * closes the connection once everything queued is written; a protocol handler overrides it to
     * complete the exchange in flight first (an HTTP response still being produced, say), since a
     * close now would cut it. Whatever is still open at the shutdown's deadline is aborted.
     *
     * @param connection the open connection to wind down
     */
    default void onShutdown(Connection connection) {
        connection.close();
    }

    /**
     * The connection is closed and its resources released.
     *
     * @param connection the closed connection; only its queries still answer
     * @param cause null after an orderly close; otherwise what broke the connection (a reset, an I/O
     *     error, or an exception thrown by this handler)
     */
    default void onClose(Connection connection, Throwable cause) {}
}
