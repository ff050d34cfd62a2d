package io.katana.http.internal;

/**
 * Where one HTTP connection is in its life, as {@link HttpConnection} moves it.
 *
 * <p><b>Threading:</b> read and changed on the connection's reactor thread only.
 */
enum ExchangeState {
    /** Reading a request head or body, or idle between requests; reading is on unless writes back up. */
    READING,
    /** A handler answers later (or blocks): reading pauses until its response is complete. */
    PROCESSING,
    /** A final answer was sent and the output shut: what the client still sends is read and discarded. */
    LINGERING,
    /** The connection closed; late answers are dropped. */
    CLOSED
}
