package io.katana.http;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * The header (or trailer) fields of a request, in the order they arrived, with names compared
 * case-insensitively. Names keep the case the client sent; values are the field values without
 * surrounding whitespace, one char per byte (ISO-8859-1), as RFC 9110 treats them as opaque octets.
 *
 * <p><b>Threading:</b> as the {@link HttpRequest} it belongs to.
 */
public interface HttpHeaders {

    /** The number of field lines. */
    int size();

    /** The name of the field line at {@code index} (0 to {@code size() - 1}). */
    String name(int index);

    /** The value of the field line at {@code index} (0 to {@code size() - 1}). */
    String value(int index);

    /** The value of the first field named {@code name}, or null when there is none. */
    String get(String name);

    /** The values of every field named {@code name}, in order; empty when there is none. */
    List<String> getAll(String name);

    /** Whether a field named {@code name} is present. */
    default boolean contains(String name) {
        return get(name) != null;
    }

    /** Calls {@code action} with the name and value of every field line, in order. */
    default void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size(); i++) {
            action.accept(name(i), value(i));
        }
    }
}
