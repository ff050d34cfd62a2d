package io.katana.http.internal;

import io.katana.http.HttpStatusException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes an {@code application/x-www-form-urlencoded} body (the WHATWG URL standard's format, as HTML
 * forms send it): {@code name=value} pairs joined by {@code &}, {@code +} for a space, percent-encoded
 * UTF-8. Unlike query strings, which are read leniently, a body a client declared as a form must be
 * one: a broken percent escape or bytes that are not UTF-8 are answered 400, and more than the field
 * limit 413, so a handler never works on half-decoded input.
 *
 * <p><b>Threading:</b> stateless; safe from any thread.
 */
public final class FormDecoding {

    /** Fields one form may have; more is a client error (Tomcat and Jetty draw the line at the same place). */
    public static final int MAX_FIELDS = 1000;

    private static final String MEDIA_TYPE = "application/x-www-form-urlencoded";

    private FormDecoding() {}

    /** {@return whether a {@code Content-Type} field value names the URL-encoded form type (parameters ignored)} */
    public static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        int end = contentType.indexOf(';');
        String type = (end < 0 ? contentType : contentType.substring(0, end)).strip();
        return type.toLowerCase(Locale.ROOT).equals(MEDIA_TYPE);
    }

    /**
     * Decodes the form in {@code body}'s remaining bytes (its position is left unchanged).
     *
     * @return names to values, in order of first appearance, each list in arrival order; unmodifiable
     * @throws HttpStatusException 400 for a malformed body, 413 beyond {@link #MAX_FIELDS} fields
     */
    public static Map<String, List<String>> decode(ByteBuffer body) {
        int limit = body.limit();
        int pos = body.position();
        if (pos == limit) {
            return Map.of();
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        byte[] scratch = new byte[64];
        int count = 0;
        while (pos <= limit) {
            int end = pos;
            while (end < limit && body.get(end) != '&') {
                end++;
            }
            if (end > pos) {
                if (++count > MAX_FIELDS) {
                    throw new HttpStatusException(413, "the form has more than " + MAX_FIELDS + " fields");
                }
                int eq = pos;
                while (eq < end && body.get(eq) != '=') {
                    eq++;
                }
                if (scratch.length < end - pos) {
                    scratch = new byte[end - pos];
                }
                String name = decodeComponent(body, pos, eq, scratch, utf8, count);
                String value = eq < end ? decodeComponent(body, eq + 1, end, scratch, utf8, count) : "";
                fields.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
            pos = end + 1;
        }
        fields.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(fields);
    }

    private static String decodeComponent(ByteBuffer body, int from, int to, byte[] scratch, CharsetDecoder utf8, int field) {
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = body.get(i);
            if (b == '+') {
                scratch[n++] = ' ';
            } else if (b == '%') {
                int high = i + 1 < to ? Ascii.hexValue(body.get(i + 1)) : -1;
                int low = i + 2 < to ? Ascii.hexValue(body.get(i + 2)) : -1;
                if (high < 0 || low < 0) {
                    throw new HttpStatusException(400, "form field " + field + " has a '%' not followed by two hex digits"
                            + " (at byte " + (i - body.position()) + " of the body); encode a literal '%' as %25");
                }
                scratch[n++] = (byte) (high * 16 + low);
                i += 2;
            } else {
                scratch[n++] = b;
            }
        }
        try {
            CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(scratch, 0, n));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new HttpStatusException(400, "form field " + field + " is not UTF-8 once percent-decoded");
        }
    }
}
