package io.katana.http.internal;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code Cookie} fields of a request (RFC 6265 section 4.2.1, as browsers send it per
 * section 5.4): {@code name=value} pairs separated by {@code ;}. Lenient, as servers must be with what
 * user agents actually send: whitespace around pairs is dropped, a value loses one pair of enclosing
 * double quotes, a pair without '=' or with an empty name or a control character is skipped, never
 * failed on. When a name repeats, the first wins: a browser lists the cookie of the longest matching
 * path first. Values are not percent-decoded (RFC 6265 defines no encoding); bytes above ASCII are
 * read as UTF-8 when they form it.
 *
 * <p><b>Threading:</b> stateless; safe from any thread.
 */
public final class CookieHeader {

    private CookieHeader() {}

    /**
     * {@return the cookies of every {@code Cookie} field value, in order, first occurrence of a name
     * winning; an unmodifiable map}
     *
     * @param fieldValues the values of the request's {@code Cookie} fields (HTTP/1.1 clients send one;
     *     several are joined, as HTTP/2 allows)
     */
    public static Map<String, String> parse(List<String> fieldValues) {
        if (fieldValues.isEmpty()) {
            return Map.of();
        }
        Map<String, String> cookies = new LinkedHashMap<>();
        for (String field : fieldValues) {
            parseInto(field, cookies);
        }
        return Collections.unmodifiableMap(cookies);
    }

    private static void parseInto(String field, Map<String, String> cookies) {
        int length = field.length();
        int pairStart = 0;
        while (pairStart < length) {
            int pairEnd = field.indexOf(';', pairStart);
            if (pairEnd < 0) {
                pairEnd = length;
            }
            int eq = field.indexOf('=', pairStart);
            if (eq >= 0 && eq < pairEnd) {
                String name = trimmed(field, pairStart, eq);
                String value = unquoted(trimmed(field, eq + 1, pairEnd));
                if (!name.isEmpty() && !hasControl(name) && !hasControl(value)) {
                    cookies.putIfAbsent(utf8(name), utf8(value));
                }
            }
            pairStart = pairEnd + 1;
        }
    }

    private static String trimmed(String s, int start, int end) {
        while (start < end && isWhitespace(s.charAt(start))) {
            start++;
        }
        while (end > start && isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    private static String unquoted(String value) {
        int n = value.length();
        return n >= 2 && value.charAt(0) == '"' && value.charAt(n - 1) == '"' ? value.substring(1, n - 1) : value;
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** Header values arrive one char per byte; a browser that stored UTF-8 in a cookie sends those bytes. */
    private static String utf8(String latin1) {
        for (int i = 0; i < latin1.length(); i++) {
            if (latin1.charAt(i) > 0x7f) {
                byte[] bytes = latin1.getBytes(StandardCharsets.ISO_8859_1);
                String decoded = new String(bytes, StandardCharsets.UTF_8);
                return decoded.indexOf('\uFFFD') < 0 ? decoded : latin1;
            }
        }
        return latin1;
    }
}
