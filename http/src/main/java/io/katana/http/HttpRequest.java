package io.katana.http;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request, as received and checked by the server: method, target, headers, body.
 *
 * <p>Nothing is copied or decoded until it is asked for: the request reads the bytes where the
 * reactor received them, and builds strings only when a method returns one.
 *
 * <p><b>Threading and lifetime:</b> a request is valid until its response is complete. During {@link
 * HttpHandler#handle} it may be read on the handler's thread, and from other threads once handed to
 * them (a call from another thread made while {@code handle} is still running waits for it to
 * return). A handler that answers later keeps a request that stays valid until it answers. After the
 * response is complete the server reuses the object: do not keep it.
 */
public interface HttpRequest {

    /** {@return the method, such as {@link HttpMethod#GET}} */
    HttpMethod method();

    /** {@return the request-target exactly as sent, such as {@code /search?q=a%20b}} */
    String target();

    /**
     * {@return the path with percent-encoding decoded as UTF-8, such as {@code /files/a b}; "/" when
     * empty} What routes are matched against.
     */
    String path();

    /**
     * {@return the path as sent, without the query} Percent-encoding is kept, so {@code %2F} stays
     * distinct from {@code /}.
     */
    String rawPath();

    /** {@return the query as sent, without the '?', or null when the target has none} */
    String rawQuery();

    /**
     * {@return the authority the request is for, {@code host[:port]} as sent; empty when the client
     * named none} It is the request-target's own when that is in absolute form ({@code GET
     * http://example.com/ HTTP/1.1}): RFC 9112 section 3.2.2 has the server ignore {@code Host} then.
     * Otherwise it is the {@code Host} field's value, which a client leaves empty when the target URI
     * has no authority (section 3.2), or empty for an HTTP/1.0 request without one.
     */
    String authority();

    /**
     * {@return the first value of query parameter {@code name}, decoded, or null when it is absent}
     *
     * @param name the parameter name, decoded, case-sensitive
     */
    String queryParam(String name);

    /**
     * {@return every value of query parameter {@code name}, decoded, in order; empty when it is absent}
     *
     * @param name the parameter name, decoded, case-sensitive
     */
    List<String> queryParams(String name);

    /** {@return all query parameters, decoded, in order of first appearance; an unmodifiable map} */
    Map<String, List<String>> queryParams();

    /**
     * {@return the value of path parameter {@code name} (a {@code {name}} segment of the route),
     * decoded, or null when the route has no such parameter}
     *
     * @param name the parameter's name in the route pattern
     */
    String pathParam(String name);

    /** {@return all path parameters of the matched route, decoded, in route order; an unmodifiable map} */
    Map<String, String> pathParams();

    /** {@return {@code HTTP/1.1} or {@code HTTP/1.0}} */
    String version();

    /** {@return the header fields, in arrival order} */
    HttpHeaders headers();

    /**
     * {@return the value of the first header field named {@code name} (any case), or null}
     *
     * @param name the field name, in any case
     */
    default String header(String name) {
        return headers().get(name);
    }

    /**
     * {@return the cookies the client sent, name to value, in the order sent; an unmodifiable map}
     * Read from the {@code Cookie} fields as RFC 6265 has browsers write them; pairs that cannot be
     * read are skipped, never failed on. When a name repeats (cookies of different paths or domains),
     * the first wins: browsers list the most specific first. Values are as sent, not decoded.
     */
    Map<String, String> cookies();

    /**
     * {@return the value of the cookie named {@code name}, or null when the client sent none}
     *
     * @param name the cookie name, case-sensitive
     */
    default String cookie(String name) {
        return cookies().get(name);
    }

    /**
     * {@return the fields of an {@code application/x-www-form-urlencoded} body, decoded, in order of
     * first appearance, each list in arrival order; an unmodifiable map} Empty when the body is not of
     * that type (check {@code Content-Type} to tell). {@code +} is a space and percent-escapes are
     * UTF-8, as HTML forms send them.
     *
     * @throws HttpStatusException 400 when the body is not a well-formed form (a broken percent escape,
     *     bytes that are not UTF-8), 413 beyond 1000 fields; let it propagate and the client gets
     *     that status
     * @throws IllegalStateException for a streaming handler, whose body is never held whole
     */
    Map<String, List<String>> formParams();

    /**
     * {@return the first value of form field {@code name}, or null when it is absent}
     *
     * @param name the field name, decoded, case-sensitive
     * @throws HttpStatusException as {@link #formParams()}
     */
    default String formParam(String name) {
        List<String> values = formParams().get(name);
        return values == null ? null : values.getFirst();
    }

    /**
     * {@return every value of form field {@code name}, in order; empty when it is absent}
     *
     * @param name the field name, decoded, case-sensitive
     * @throws HttpStatusException as {@link #formParams()}
     */
    default List<String> formParams(String name) {
        List<String> values = formParams().get(name);
        return values == null ? List.of() : values;
    }

    /**
     * {@return the body's length in bytes (after chunked decoding); 0 when there is no body}
     *
     * @throws IllegalStateException for a streaming handler, whose body is read with {@link #bodyStream()}
     */
    int bodyLength();

    /**
     * {@return a copy of the body; empty when there is none} The copy stays valid after the response
     * completes.
     *
     * @throws IllegalStateException for a streaming handler, whose body is read with {@link #bodyStream()}
     */
    byte[] body();

    /**
     * {@return the body decoded as UTF-8}
     *
     * @throws IllegalStateException for a streaming handler, whose body is read with {@link #bodyStream()}
     */
    String bodyAsString();

    /**
     * {@return the body as a read-only buffer, without a copy} While the handler runs on the reactor
     * thread the buffer shows the bytes where the reactor received them and is valid until {@code
     * handle} returns; once the request outlives that (a blocking handler, or one that answers later)
     * it shows the request's own copy. To keep the body past {@code handle}, use {@link #body()}.
     *
     * @throws IllegalStateException for a streaming handler, whose body is read with {@link #bodyStream()}
     */
    ByteBuffer bodyBuffer();

    /**
     * {@return the body as it arrives} For a {@linkplain HttpHandler#streaming streaming} handler the
     * one way to read the body: the buffered accessors ({@link #body()}, {@link #bodyAsString()},
     * {@link #bodyBuffer()}, {@link #bodyLength()}, {@link #formParams()}) then throw. For any other
     * handler it presents the body already read, so code written against it works on both.
     */
    RequestBody bodyStream();

    /**
     * {@return a reader of this request's {@code multipart/form-data} body, part by part as it
     * arrives} Reads {@link #bodyStream()} as a blocking stream, so call it from a {@linkplain
     * HttpHandler#blocking blocking} handler, streaming for uploads of any size.
     *
     * @throws HttpStatusException 415 if the body is not {@code multipart/form-data}, 400 if its
     *     boundary is missing or malformed
     * @throws IllegalStateException on the reactor thread, or when the body was already read as a stream
     */
    default MultipartReader multipart() {
        return new MultipartReader(header("Content-Type"), bodyStream().inputStream());
    }

    /** {@return the trailer fields of a chunked body; empty otherwise} */
    HttpHeaders trailers();

    /** {@return the client's address, or null once it can no longer be known} */
    SocketAddress remoteAddress();

    /** {@return the server's address of this connection, or null once it can no longer be known} */
    SocketAddress localAddress();
}
