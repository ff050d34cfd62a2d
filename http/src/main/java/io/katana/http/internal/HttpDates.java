package io.katana.http.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * HTTP dates (RFC 9110 section 5.6.7): written as IMF-fixdate, read in all three forms a recipient
 * must accept (IMF-fixdate, the obsolete RFC 850 form and asctime).
 *
 * <p><b>Threading:</b> safe to share; its one cached date is replaced atomically.
 */
public final class HttpDates {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC_850 =
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.ENGLISH);
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ENGLISH);

    /**
     * The last date formatted: a file served again and again has the same {@code Last-Modified}, and
     * the formatter costs more than the rest of its answer's head. One entry, replaced whole, so any
     * thread may read and write it.
     */
    private static volatile Formatted lastFormatted = new Formatted(Long.MIN_VALUE, "");

    private record Formatted(long epochSecond, String text) {}

    private HttpDates() {}

    /** {@return {@code instant} as an IMF-fixdate, such as {@code Sun, 06 Nov 1994 08:49:37 GMT}} */
    public static String format(Instant instant) {
        long second = instant.getEpochSecond();
        Formatted last = lastFormatted;
        if (last.epochSecond() == second) {
            return last.text();
        }
        String text = IMF_FIXDATE.format(instant.truncatedTo(ChronoUnit.SECONDS));
        lastFormatted = new Formatted(second, text);
        return text;
    }

    /** {@return the instant {@code value} names, or null if it is not an HTTP date} */
    public static Instant parse(String value) {
        if (value == null) {
            return null;
        }
        String text = value.strip();
        try {
            return LocalDateTime.parse(text, IMF_FIXDATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException notFixdate) {
            // try the obsolete forms
        }
        try {
            LocalDateTime rfc850 = LocalDateTime.parse(text, RFC_850);
            // Two-digit years: RFC 9110 reads one more than 50 years ahead as the past century.
            if (rfc850.getYear() > LocalDateTime.now(ZoneOffset.UTC).getYear() + 50) {
                rfc850 = rfc850.minusYears(100);
            }
            return rfc850.toInstant(ZoneOffset.UTC);
        } catch (DateTimeException notRfc850) {
            // try asctime
        }
        try {
            return LocalDateTime.parse(text, ASCTIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException notAsctime) {
            return null;
        }
    }
}
