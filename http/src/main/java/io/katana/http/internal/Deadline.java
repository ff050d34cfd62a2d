package io.katana.http.internal;

/**
 * What the one deadline of an HTTP connection guards; {@link ConnectionDeadline} holds it and {@link
 * HttpConnection} acts when it passes.
 */
enum Deadline {
    /** No deadline: a handler is answering and the client reads what it is sent. */
    NONE,
    /** A new connection must send its first request within the head timeout. */
    FIRST_REQUEST,
    /** A request head started must be complete within the head timeout from its first byte. */
    HEAD,
    /** A request body must not stall for the idle timeout, nor average below the minimum rate. */
    BODY,
    /** A keep-alive connection may idle between requests this long. */
    IDLE,
    /** How long to read and discard after an error answer before closing. */
    LINGER,
    /** A client that does not read a response (the connection unwritable) is aborted after this. */
    WRITE_STALL
}
