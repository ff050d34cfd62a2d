package io.katana.http;

/**
 * Ends a request with a given status instead of 500: thrown by the server's request helpers when the
 * client sent something they cannot read (a malformed form or multipart body: 400; too many fields or
 * parts: 413), and by handlers that want the same. If the response has not been sent, the server
 * answers with {@link #status()} and the message as a plain-text body; the client caused it, so it is
 * logged at DEBUG only.
 *
 * <p><b>Threading:</b> immutable; safe from any thread.
 */
public final class HttpStatusException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The status the request is answered with. */
    private final int status;

    /**
     * Makes an exception that answers the request with {@code status}.
     *
     * @param status the response status, 400 to 599
     * @param message what was wrong, sent to the client: say what to do differently, never leak internals
     * @throws IllegalArgumentException if the status is not an error status
     */
    public HttpStatusException(int status, String message) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an HttpStatusException carries an error status (400 to 599), got " + status);
        }
        this.status = status;
    }

    /** {@return the status the request is answered with} */
    public int status() {
        return status;
    }
}
