package io.katana.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * The response to one {@link HttpRequest}: set the status and headers, then complete it once with a
 * {@code send} method, or {@link #stream()} a body of unknown length.
 *
 * <p>The server adds {@code Date}, {@code Server} (unless set here), {@code Content-Length} or
 * {@code Transfer-Encoding}, and {@code Connection} when the connection closes after the response or
 * is an HTTP/1.0 keep-alive. To a {@code HEAD} request it sends the headers a {@code GET} would get,
 * without the body. Statuses 204 and 304 are sent without a body (one given is dropped).
 *
 * <p><b>Abandoned exchanges.</b> An exchange is abandoned when its response cannot reach the client
 * whole: the client closed or reset the connection while the handler was still answering, the
 * {@linkplain HttpTimeouts#request() request timeout} passed (the client then got 503), or the
 * connection was cut under a streamed body. {@link #onAbandoned} tells the handler; a {@code send}
 * or {@code stream} after that is dropped and logged at WARN, never thrown.
 *
 * <p><b>Threading:</b> any thread may complete a response, once; set the status and headers from the
 * thread that then sends. Sending from the reactor thread during {@link HttpHandler#handle} is the
 * fast path: the response is written with those of other pipelined requests in one system call.
 */
public interface HttpResponse {

    /**
     * Sets the status code of this final response (200 to 599; default 200). The server sends {@code
     * 100 Continue} itself when a client expects it.
     *
     * @param code the status code
     * @return this response, for chaining
     * @throws IllegalArgumentException if the code is outside 200 to 599
     * @throws IllegalStateException if the response was already sent
     */
    HttpResponse status(int code);

    /** {@return the status code set so far} */
    int status();

    /**
     * Sets a header field, replacing any set before under the same name (any case).
     *
     * @param name the field name, an RFC 9110 token
     * @param value the field value
     * @return this response, for chaining
     * @throws IllegalArgumentException if the name is not a token, the value holds CR, LF or another
     *     control character, or the field is one the server manages ({@code Content-Length}, {@code
     *     Transfer-Encoding})
     */
    HttpResponse header(String name, String value);

    /**
     * Adds a header field line, keeping those set before under the same name, as {@code Set-Cookie}
     * needs; checked as {@link #header}.
     *
     * @param name the field name, an RFC 9110 token
     * @param value the field value
     * @return this response, for chaining
     * @throws IllegalArgumentException as {@link #header}
     */
    HttpResponse addHeader(String name, String value);

    /**
     * {@return the value of the first header field set so far under {@code name} (any case), or null}
     * After-filters and {@link HttpFilter}s read what the handler set with it.
     *
     * @param name the field name
     */
    String header(String name);

    /**
     * Adds a {@code Set-Cookie} field for {@code cookie}, one field line per cookie (RFC 6265 forbids
     * folding them into one), keeping cookies added before.
     *
     * @param cookie the cookie, already checked when it was built
     * @return this response, for chaining
     * @throws IllegalStateException if the response was already sent
     */
    default HttpResponse cookie(Cookie cookie) {
        return addHeader("Set-Cookie", cookie.headerValue());
    }

    /** Completes the response without a body. */
    void send();

    /**
     * Completes the response with {@code body} in UTF-8; Content-Type defaults to {@code text/plain;
     * charset=utf-8}.
     *
     * @param body the body text
     */
    void send(String body);

    /**
     * Completes the response with {@code body}; Content-Type defaults to {@code
     * application/octet-stream}.
     *
     * @param body the body bytes, copied before this returns
     */
    void send(byte[] body);

    /**
     * Completes the response with the remaining bytes of {@code body} (copied); as {@link
     * #send(byte[])}.
     *
     * @param body the body bytes, from position to limit
     */
    void send(ByteBuffer body);

    /**
     * Completes the response with {@code count} bytes of {@code file} from byte {@code position}, as
     * its body of known length: {@code Content-Length} is {@code count}, and {@code Content-Type}
     * defaults to {@code application/octet-stream}. The bytes go from the file to the socket without
     * crossing the Java heap where the backend can ({@link io.katana.reactor.Connection#sendFile}); the
     * connection opens the file and closes it once sent. To a {@code HEAD} request only the headers
     * go, and the file is not opened.
     *
     * <p>This default, for wrappers that do not override it, reads the region into memory and sends
     * it with {@link #send(byte[])}.
     *
     * @param file the file to send from
     * @param position the first byte to send
     * @param count the bytes to send
     * @throws IOException if the file cannot be opened or holds fewer than {@code position + count}
     *     bytes; the response is then complete but the connection is closed, so the client sees the
     *     answer cut short rather than wrong
     * @throws IllegalArgumentException if {@code position} or {@code count} is negative
     */
    default void sendFile(Path file, long position, long count) throws IOException {
        if (position < 0 || count < 0 || count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("position and count must be 0 or more (count below 2 GiB for this "
                    + "copying default), got " + position + " and " + count);
        }
        ByteBuffer body = ByteBuffer.allocate((int) count);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (body.hasRemaining()) {
                if (channel.read(body, position + body.position()) < 0) {
                    throw new IOException(file + " holds fewer than " + (position + count) + " bytes");
                }
            }
        }
        send(body.array());
    }

    /**
     * Sends the status and headers now and returns a stream for a body of unknown length, sent with
     * chunked transfer coding (to an HTTP/1.0 client: unframed, and the connection closes after it).
     *
     * @return the stream to write the body to and then close
     */
    ResponseStream stream();

    /**
     * Sends the status and headers now, with {@code Content-Length: contentLength}, and returns a
     * stream for exactly that many body bytes: for a body whose size is known but which is produced
     * piece by piece (a file, a proxied response). The client can then tell a whole body from a cut
     * one, and an HTTP/1.0 connection stays open after it.
     *
     * <p>A write that would go past {@code contentLength} throws {@link IllegalStateException} and
     * sends nothing. Closing the stream short of it aborts the connection (logged at WARN), so the
     * client does not take the truncated body as whole.
     *
     * @param contentLength the body's exact length in bytes; 0 or more
     * @return the stream to write the body to and then close
     * @throws IllegalArgumentException if {@code contentLength} is negative
     */
    ResponseStream stream(long contentLength);

    /**
     * {@return whether the response has been sent, or its stream started} After that the status and
     * headers can no longer change.
     */
    boolean isCommitted();

    /**
     * Runs {@code action} if the exchange is abandoned: the client left (closed or reset the
     * connection) before the response was complete, the request timeout passed, or the connection was
     * cut under a streamed body. Its argument says why. Not run when the response completes. For a
     * handler that answers later or works long on a virtual thread, this is the signal to stop.
     *
     * <p>Runs once, on the connection's reactor thread, and must not block; registered after the
     * exchange was abandoned, it runs at once on the calling thread. Several actions run in the order
     * registered.
     *
     * @param action told why the exchange was abandoned
     * @return this response, for chaining
     */
    HttpResponse onAbandoned(Consumer<Throwable> action);

    /**
     * {@return whether the exchange was abandoned} (see {@link #onAbandoned}): anything sent now is
     * dropped. A handler that polls may stop its work when this turns true.
     */
    boolean isAbandoned();
}
