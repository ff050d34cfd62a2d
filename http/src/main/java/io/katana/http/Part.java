package io.katana.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One part of a {@code multipart/form-data} body, as {@link MultipartReader#next()} returns it: its
 * header fields, the form field name and file name they give, and its content as a stream read
 * straight from the connection.
 *
 * <p><b>Threading:</b> for the thread reading the {@link MultipartReader}, as the reader itself.
 */
public final class Part {

    private final HttpHeaders headers;
    private final String name;
    private final String filename;
    private final InputStream content;

    Part(HttpHeaders headers, InputStream content) {
        this.headers = headers;
        String disposition = headers.get("Content-Disposition");
        this.name = disposition == null ? null : parameter(disposition, "name");
        String extended = disposition == null ? null : parameter(disposition, "filename*");
        this.filename = extended != null ? decodeExtended(extended, disposition) : disposition == null ? null : parameter(disposition, "filename");
        this.content = content;
    }

    /** {@return the part's header fields, such as {@code Content-Disposition} and {@code Content-Type}} */
    public HttpHeaders headers() {
        return headers;
    }

    /** {@return the form field's name ({@code Content-Disposition}'s {@code name}), or null when it has none} */
    public String name() {
        return name;
    }

    /**
     * {@return the file name the client gave ({@code filename}), or null for a plain field} As sent:
     * never use it as a path without checking it.
     */
    public String filename() {
        return filename;
    }

    /** {@return the part's {@code Content-Type}; {@code text/plain} when it has none (RFC 7578 section 4.4)} */
    public String contentType() {
        String type = headers.get("Content-Type");
        return type == null ? "text/plain" : type;
    }

    /**
     * {@return the part's content} It ends where the part does; once {@link MultipartReader#next()} is
     * called again, what was not read is skipped and the stream is at its end.
     */
    public InputStream inputStream() {
        return content;
    }

    /**
     * {@return the whole content decoded as UTF-8} For small fields only: it is held in memory.
     *
     * @throws IOException if the body cannot be read
     */
    public String contentAsString() throws IOException {
        return new String(content.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Part[name=" + name + (filename != null ? ", filename=" + filename : "") + "]";
    }

    /** A parameter of a {@code Content-Disposition} value, a token or a quoted string; null when absent. */
    private static String parameter(String value, String wanted) {
        int i = value.indexOf(';');
        while (i >= 0 && i < value.length()) {
            i++;
            while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                i++;
            }
            int eq = value.indexOf('=', i);
            if (eq < 0) {
                return null;
            }
            String key = value.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            StringBuilder parsed = new StringBuilder();
            int j = eq + 1;
            if (j < value.length() && value.charAt(j) == '"') {
                j++;
                while (j < value.length() && value.charAt(j) != '"') {
                    char c = value.charAt(j);
                    if (c == '\\' && j + 1 < value.length()) {
                        c = value.charAt(++j);
                    }
                    parsed.append(c);
                    j++;
                }
                j = value.indexOf(';', j);
            } else {
                int end = value.indexOf(';', j);
                parsed.append(value, j, end < 0 ? value.length() : end);
                j = end;
            }
            if (key.equals(wanted)) {
                return wanted.endsWith("*") ? parsed.toString().strip() : parsed.toString();
            }
            i = j;
        }
        return null;
    }

    /** RFC 8187 {@code charset'language'percent-encoded}; falls back to the plain {@code filename}. */
    private static String decodeExtended(String extended, String disposition) {
        int first = extended.indexOf('\'');
        int second = first < 0 ? -1 : extended.indexOf('\'', first + 1);
        if (second > 0 && extended.substring(0, first).equalsIgnoreCase("UTF-8")) {
            try {
                return URLDecoder.decode(extended.substring(second + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                // a broken escape: use the plain parameter below
            }
        }
        return parameter(disposition, "filename");
    }
}
