package io.katana.http.internal;

import io.katana.http.HttpMethod;

/**
 * Checks the structure of a request-target (RFC 9112 section 3.2) and of host names (RFC 3986
 * section 3.2.2), reading a {@link RequestHead}'s bytes in place.
 *
 * <p><b>Threading:</b> stateless; safe from any thread.
 */
final class RequestTargets {

    private RequestTargets() {}

    /**
     * Classifies the target between two offsets, records its parts in {@code head} and rejects, through
     * {@code parser}, whatever RFC 9112 forbids for the request's method.
     *
     * @return false after a rejection
     */
    static boolean parse(RequestHead head, int start, int end, RequestHeadParser parser) {
        HttpMethod method = head.method;
        int first = head.byteAt(start);
        if (first == '/') {
            if (method == HttpMethod.CONNECT) {
                return parser.reject(400, "CONNECT needs a host:port request-target");
            }
            head.targetForm = RequestHead.ORIGIN_FORM;
            return pathAndQuery(head, start, end, parser);
        }
        if (end - start == 1 && first == '*') {
            if (method != HttpMethod.OPTIONS) {
                return parser.reject(400, "the * request-target is only for OPTIONS");
            }
            head.targetForm = RequestHead.ASTERISK_FORM;
            head.pathStart = start;
            head.pathEnd = start;
            return true;
        }
        if (method == HttpMethod.CONNECT) {
            if (!isValidHost(head, start, end, true)) {
                return parser.reject(400, "invalid host:port request-target");
            }
            head.targetForm = RequestHead.AUTHORITY_FORM;
            head.authorityStart = start;
            head.authorityEnd = end;
            head.pathStart = end;
            head.pathEnd = end;
            return true;
        }
        return absoluteForm(head, start, end, parser);
    }

    private static boolean absoluteForm(RequestHead head, int start, int end, RequestHeadParser parser) {
        int i = start;
        while (i < end && isSchemeChar(head.byteAt(i), i == start)) {
            i++;
        }
        if (i == start || i >= end || head.byteAt(i) != ':') {
            return parser.reject(400, "invalid request-target");
        }
        if (!head.equalsIgnoreCase(start, i, "http") && !head.equalsIgnoreCase(start, i, "https")) {
            return parser.reject(400, "request-target with a scheme other than http or https");
        }
        if (end - i < 3 || head.byteAt(i + 1) != '/' || head.byteAt(i + 2) != '/') {
            return parser.reject(400, "absolute request-target without an authority");
        }
        int authorityStart = i + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < end && head.byteAt(authorityEnd) != '/' && head.byteAt(authorityEnd) != '?') {
            if (head.byteAt(authorityEnd) == '@') {
                // RFC 9110 section 4.2.4: userinfo in an http(s) URI is to be treated as an error.
                return parser.reject(400, "userinfo in the request-target");
            }
            authorityEnd++;
        }
        if (!isValidHost(head, authorityStart, authorityEnd, false)) {
            return parser.reject(400, "invalid host in the request-target");
        }
        head.targetForm = RequestHead.ABSOLUTE_FORM;
        head.authorityStart = authorityStart;
        head.authorityEnd = authorityEnd;
        return pathAndQuery(head, authorityEnd, end, parser);
    }

    private static boolean pathAndQuery(RequestHead head, int start, int end, RequestHeadParser parser) {
        head.pathStart = start;
        int i = start;
        while (i < end) {
            int c = head.byteAt(i) & 0xff;
            if (c == '?') {
                break;
            }
            if (c == '%') {
                if (i + 2 >= end || Ascii.hexValue(head.byteAt(i + 1)) < 0 || Ascii.hexValue(head.byteAt(i + 2)) < 0) {
                    return parser.reject(400, "invalid percent-encoding in the path");
                }
                i += 3;
                continue;
            }
            if (!Ascii.isPathChar(c)) {
                return parser.reject(400, "invalid character in the path");
            }
            i++;
        }
        head.pathEnd = i;
        if (i < end) {
            for (int j = i + 1; j < end; j++) {
                if (!Ascii.isQueryChar(head.byteAt(j))) {
                    return parser.reject(400, "invalid character in the query");
                }
            }
            head.queryStart = i + 1;
            head.queryEnd = end;
        }
        return true;
    }

    private static boolean isSchemeChar(int c, boolean first) {
        boolean alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        return first ? alpha : alpha || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    }

    /**
     * Whether the bytes between two offsets are {@code host [":" port]}: an IP literal in brackets or a
     * non-empty reg-name (IPv4 addresses are reg-names syntactically), then an optional port of digits.
     */
    static boolean isValidHost(RequestHead head, int start, int end, boolean requirePort) {
        if (start >= end) {
            return false;
        }
        int i = start;
        if (head.byteAt(i) == '[') {
            i++;
            int literalStart = i;
            while (i < end && head.byteAt(i) != ']') {
                int c = head.byteAt(i);
                if (Ascii.hexValue(c) < 0 && c != ':' && c != '.') {
                    return false;
                }
                i++;
            }
            if (i >= end || i == literalStart) {
                return false;
            }
            i++;
        } else {
            while (i < end && head.byteAt(i) != ':') {
                int c = head.byteAt(i);
                if (c == '%') {
                    if (i + 2 >= end || Ascii.hexValue(head.byteAt(i + 1)) < 0 || Ascii.hexValue(head.byteAt(i + 2)) < 0) {
                        return false;
                    }
                    i += 3;
                    continue;
                }
                if (!Ascii.isRegNameChar(c)) {
                    return false;
                }
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        if (i == end) {
            return !requirePort;
        }
        if (head.byteAt(i) != ':') {
            return false;
        }
        i++;
        if (requirePort && i == end) {
            return false;
        }
        for (; i < end; i++) {
            int c = head.byteAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Skips {@code *( OWS ";" OWS token "=" ( token / quoted-string ) )} starting at a ';'.
     *
     * @return the offset after the parameters (and trailing whitespace), or -1 if they are malformed
     */
    static int skipParameters(RequestHead head, int start, int end) {
        int i = start;
        while (i < end && head.byteAt(i) == ';') {
            i++;
            while (i < end && Ascii.isWhitespace(head.byteAt(i))) {
                i++;
            }
            int name = i;
            while (i < end && Ascii.isTokenChar(head.byteAt(i))) {
                i++;
            }
            if (i == name || i >= end || head.byteAt(i) != '=') {
                return -1;
            }
            i++;
            if (i < end && head.byteAt(i) == '"') {
                i++;
                while (i < end && head.byteAt(i) != '"') {
                    if (head.byteAt(i) == '\\') {
                        i++;
                    }
                    i++;
                }
                if (i >= end) {
                    return -1;
                }
                i++;
            } else {
                int value = i;
                while (i < end && Ascii.isTokenChar(head.byteAt(i))) {
                    i++;
                }
                if (i == value) {
                    return -1;
                }
            }
            while (i < end && Ascii.isWhitespace(head.byteAt(i))) {
                i++;
            }
        }
        return i;
    }
}
