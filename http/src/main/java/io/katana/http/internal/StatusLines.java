package io.katana.http.internal;

import java.nio.charset.StandardCharsets;

/**
 * Pre-encoded status lines ({@code HTTP/1.1 200 OK\r\n}) for every status code 100 to 999, with the
 * reason phrases of RFC 9110 (empty for codes it does not define, which RFC 9112 allows).
 *
 * <p><b>Threading:</b> immutable after class initialisation; safe from any thread.
 */
public final class StatusLines {

    private static final byte[][] LINES = new byte[1000][];
    private static final String[] REASONS = new String[1000];

    static {
        reason(100, "Continue");
        reason(101, "Switching Protocols");
        reason(200, "OK");
        reason(201, "Created");
        reason(202, "Accepted");
        reason(203, "Non-Authoritative Information");
        reason(204, "No Content");
        reason(205, "Reset Content");
        reason(206, "Partial Content");
        reason(300, "Multiple Choices");
        reason(301, "Moved Permanently");
        reason(302, "Found");
        reason(303, "See Other");
        reason(304, "Not Modified");
        reason(307, "Temporary Redirect");
        reason(308, "Permanent Redirect");
        reason(400, "Bad Request");
        reason(401, "Unauthorized");
        reason(402, "Payment Required");
        reason(403, "Forbidden");
        reason(404, "Not Found");
        reason(405, "Method Not Allowed");
        reason(406, "Not Acceptable");
        reason(407, "Proxy Authentication Required");
        reason(408, "Request Timeout");
        reason(409, "Conflict");
        reason(410, "Gone");
        reason(411, "Length Required");
        reason(412, "Precondition Failed");
        reason(413, "Content Too Large");
        reason(414, "URI Too Long");
        reason(415, "Unsupported Media Type");
        reason(416, "Range Not Satisfiable");
        reason(417, "Expectation Failed");
        reason(421, "Misdirected Request");
        reason(422, "Unprocessable Content");
        reason(426, "Upgrade Required");
        reason(428, "Precondition Required");
        reason(429, "Too Many Requests");
        reason(431, "Request Header Fields Too Large");
        reason(500, "Internal Server Error");
        reason(501, "Not Implemented");
        reason(502, "Bad Gateway");
        reason(503, "Service Unavailable");
        reason(504, "Gateway Timeout");
        reason(505, "HTTP Version Not Supported");
        for (int code = 100; code < 1000; code++) {
            String reason = REASONS[code] == null ? "" : REASONS[code];
            LINES[code] = ("HTTP/1.1 " + code + " " + reason + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private StatusLines() {}

    private static void reason(int code, String phrase) {
        REASONS[code] = phrase;
    }

    /** The status line with its CRLF, for a code from 100 to 999. */
    public static byte[] line(int code) {
        return LINES[code];
    }

    /** The reason phrase, empty for codes RFC 9110 does not define. */
    public static String reason(int code) {
        String reason = REASONS[code];
        return reason == null ? "" : reason;
    }

    /** Whether a response with this status never has content (RFC 9110 sections 15.2, 15.3.5, 15.4.5). */
    public static boolean forbidsContent(int code) {
        return code < 200 || code == 204 || code == 304;
    }
}
