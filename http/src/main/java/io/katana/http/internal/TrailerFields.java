package io.katana.http.internal;

import io.katana.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The trailer fields of a chunked request body, decoded into strings when the body ended; also the
 * header fields of a multipart part.
 *
 * <p><b>Threading:</b> immutable; safe from any thread.
 */
final class TrailerFields implements HttpHeaders {

    static final TrailerFields EMPTY = new TrailerFields(List.of());

    private final List<String> namesAndValues;

    /** @param namesAndValues name, value, name, value... */
    TrailerFields(List<String> namesAndValues) {
        this.namesAndValues = List.copyOf(namesAndValues);
    }

    @Override
    public int size() {
        return namesAndValues.size() / 2;
    }

    @Override
    public String name(int index) {
        return namesAndValues.get(index * 2);
    }

    @Override
    public String value(int index) {
        return namesAndValues.get(index * 2 + 1);
    }

    @Override
    public String get(String name) {
        for (int i = 0; i < size(); i++) {
            if (name(i).equalsIgnoreCase(name)) {
                return value(i);
            }
        }
        return null;
    }

    @Override
    public List<String> getAll(String name) {
        List<String> values = new ArrayList<>(1);
        for (int i = 0; i < size(); i++) {
            if (name(i).equalsIgnoreCase(name)) {
                values.add(value(i));
            }
        }
        return Collections.unmodifiableList(values);
    }
}
