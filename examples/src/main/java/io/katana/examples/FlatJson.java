package io.katana.examples;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Just enough JSON for the REST example: an object whose values are strings or numbers, read and
 * written, with escapes. Anything else is rejected with a message saying where and why, which the
 * example turns into a 400.
 */
final class FlatJson {
    private final String text;
    private int at;

    private FlatJson(String text) {
        this.text = text;
    }

    /**
     * Parses {@code {"name": "value", "n": 12}}.
     *
     * @throws IllegalArgumentException naming the offset and what was expected
     */
    static Map<String, String> parseObject(String text) {
        FlatJson parser = new FlatJson(text);
        Map<String, String> fields = new LinkedHashMap<>();
        parser.skipSpace();
        parser.expect('{');
        parser.skipSpace();
        if (parser.peek() == '}') {
            parser.at++;
        } else {
            while (true) {
                parser.skipSpace();
                String name = parser.string();
                parser.skipSpace();
                parser.expect(':');
                parser.skipSpace();
                fields.put(name, parser.peek() == '"' ? parser.string() : parser.number());
                parser.skipSpace();
                if (parser.peek() == ',') {
                    parser.at++;
                    continue;
                }
                parser.expect('}');
                break;
            }
        }
        parser.skipSpace();
        if (parser.at != text.length()) {
            throw parser.error("nothing after the object");
        }
        return fields;
    }

    /** A JSON string literal of {@code value}. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private String string() {
        expect('"');
        StringBuilder value = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw error("a closing quote");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return value.toString();
            }
            if (c < 0x20) {
                throw error("no control characters inside a string");
            }
            if (c != '\\') {
                value.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw error("an escape");
            }
            char escape = text.charAt(at++);
            switch (escape) {
                case '"', '\\', '/' -> value.append(escape);
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw error("four hex digits after \\u");
                    }
                    try {
                        value.append((char) Integer.parseInt(text, at, at + 4, 16));
                    } catch (NumberFormatException e) {
                        throw error("four hex digits after \\u");
                    }
                    at += 4;
                }
                default -> throw error("a valid escape, not \\" + escape);
            }
        }
    }

    private String number() {
        int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        if (start == at) {
            throw error("a string or a number");
        }
        String literal = text.substring(start, at);
        try {
            Double.parseDouble(literal);
        } catch (NumberFormatException e) {
            throw error("a number, not " + literal);
        }
        return literal;
    }

    private void skipSpace() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private char peek() {
        if (at >= text.length()) {
            throw error("more input");
        }
        return text.charAt(at);
    }

    private void expect(char wanted) {
        if (peek() != wanted) {
            throw error("'" + wanted + "'");
        }
        at++;
    }

    private IllegalArgumentException error(String expected) {
        return new IllegalArgumentException("invalid JSON at offset " + at + ": expected " + expected);
    }
}
