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

    /** {@return the number of field lines} */
    int size();

    /**
     * {@return the name of the field line at {@code index}, in the case the client sent}
     *
     * @param index 0 to {@code size() - 1}, in arrival order
     */
    String name(int index);

    /**
     * {@return the value of the field line at {@code index}}
     *
     * @param index 0 to {@code size() - 1}, in arrival order
     */
    String value(int index);

    /**
     * {@return the value of the first field named {@code name}, or null when there is none}
     *
     * @param name the field name, in any case
     */
    String get(String name);

    /**
     * {@return the values of every field named {@code name}, in order; empty when there is none} Fields
     * that may repeat, such as {@code Set-Cookie} or {@code Accept}, need this rather than {@link
     * #get}.
     *
     * @param name the field name, in any case
     */
    List<String> getAll(String name);

    /**
     * {@return whether a field named {@code name} is present}
     *
     * @param name the field name, in any case
     */
    default boolean contains(String name) {
        return get(name) != null;
    }

    /**
     * Calls {@code action} with the name and value of every field line, in order.
     *
     * @param action receives each name and value
     */
    default void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size(); i++) {
            action.accept(name(i), value(i));
        }
    }
}
