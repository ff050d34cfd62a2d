package io.katana.http.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Percent-decoding of paths and query strings into UTF-8 strings (malformed UTF-8 becomes U+FFFD).
 *
 * <p><b>Threading:</b> stateless; safe from any thread.
 */
public final class UrlDecoding {

    private UrlDecoding() {}

    /** Decodes the bytes of {@code head} between two offsets; '+' stays '+' (paths). */
    public static String decodePath(RequestHead head, int start, int end) {
        boolean plain = true;
        for (int i = start; i < end && plain; i++) {
            plain = head.byteAt(i) != '%';
        }
        if (plain) {
            return head.latin1(start, end); // ASCII only: the parser refused raw non-ASCII in paths
        }
        return decode(head.copy(start, end), false);
    }

    /**
     * Splits a query string on '&amp;' and '=' and decodes names and values ('+' is a space, as HTML
     * forms send it). A name without '=' has the value "".
     */
    public static Map<String, List<String>> parseQuery(String query) {
        if (query == null || query.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        params.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(params);
    }

    private static String decode(String component) {
        if (component.indexOf('%') < 0 && component.indexOf('+') < 0) {
            return component;
        }
        return decode(component.getBytes(StandardCharsets.ISO_8859_1), true);
    }

    private static String decode(byte[] raw, boolean plusIsSpace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            int b = raw[i] & 0xff;
            if (b == '%' && i + 2 < raw.length && Ascii.hexValue(raw[i + 1]) >= 0 && Ascii.hexValue(raw[i + 2]) >= 0) {
                out.write(Ascii.hexValue(raw[i + 1]) * 16 + Ascii.hexValue(raw[i + 2]));
                i += 2;
            } else if (b == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                out.write(b); // a stray '%' in a query is kept as it is
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
