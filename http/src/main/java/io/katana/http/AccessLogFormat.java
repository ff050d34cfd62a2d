package io.katana.http;

/**
 * The line format of the access log ({@link HttpServer.Builder#accessLog}), as Apache httpd and nginx
 * write it.
 *
 * <p><b>Threading:</b> an enum; immutable.
 */
public enum AccessLogFormat {
    /**
     * {@code %h %l %u %t "%r" %>s %b}: client address, {@code -}, {@code -}, time the request arrived,
     * request line, status, body bytes sent ({@code -} for none).
     */
    COMMON,
    /** {@link #COMMON} followed by {@code "%{Referer}i" "%{User-Agent}i"} ({@code -} when absent). */
    COMBINED
}
