package io.katana.http;

import java.util.Objects;

/**
 * An HTTP request method (RFC 9110 section 9): a case-sensitive token such as {@code GET}.
 *
 * <p>The methods of RFC 9110 and {@code PATCH} (RFC 5789) are constants; {@link #of(String)} returns
 * the constant for a standard name and a new instance for an extension method. Compare with {@link
 * #equals(Object)}, not {@code ==}, when extension methods may occur.
 *
 * <p><b>Threading:</b> immutable; safe to share between threads.
 */
public final class HttpMethod {

    /** Transfers a representation of the target; safe and idempotent. */
    public static final HttpMethod GET = new HttpMethod("GET", true);
    /**
     * As {@code GET} without the body; a {@code GET} route answers it unless a {@code HEAD} route
     * exists.
     */
    public static final HttpMethod HEAD = new HttpMethod("HEAD", true);
    /** Has the target process the enclosed representation. */
    public static final HttpMethod POST = new HttpMethod("POST", true);
    /** Replaces the target's state with the enclosed representation; idempotent. */
    public static final HttpMethod PUT = new HttpMethod("PUT", true);
    /** Removes the target's association with its current state; idempotent. */
    public static final HttpMethod DELETE = new HttpMethod("DELETE", true);
    /** Asks for a tunnel; its request-target must be {@code host:port}. */
    public static final HttpMethod CONNECT = new HttpMethod("CONNECT", true);
    /** Asks what the target supports; on a path without an OPTIONS route, answered with {@code Allow}. */
    public static final HttpMethod OPTIONS = new HttpMethod("OPTIONS", true);
    /** Asks for a loop-back of the request; rarely served. */
    public static final HttpMethod TRACE = new HttpMethod("TRACE", true);
    /** Applies a partial modification (RFC 5789). */
    public static final HttpMethod PATCH = new HttpMethod("PATCH", true);

    private static final HttpMethod[] STANDARD = {GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH};

    private final String name;
    private final boolean standard;

    private HttpMethod(String name, boolean standard) {
        this.name = name;
        this.standard = standard;
    }

    /**
     * {@return the method with this name: a constant for the standard ones, otherwise a new extension
     * method}
     *
     * @param name the method token, case-sensitive ({@code get} is an extension method, not {@code GET})
     * @throws IllegalArgumentException if {@code name} is empty or not an RFC 9110 token
     */
    public static HttpMethod of(String name) {
        Objects.requireNonNull(name, "name");
        for (HttpMethod method : STANDARD) {
            if (method.name.equals(name)) {
                return method;
            }
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a method name cannot be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7f || !io.katana.http.internal.Ascii.isTokenChar(c)) {
                throw new IllegalArgumentException("'" + name + "' is not a valid method name: character "
                        + i + " is not allowed in an RFC 9110 token");
            }
        }
        return new HttpMethod(name, false);
    }

    /** {@return the method name, for example {@code GET}} */
    public String name() {
        return name;
    }

    /**
     * {@return whether this is a method defined by RFC 9110 or {@code PATCH}, as opposed to an
     * extension}
     */
    public boolean isStandard() {
        return standard;
    }

    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof HttpMethod method && method.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
