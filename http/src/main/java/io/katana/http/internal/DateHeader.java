package io.katana.http.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header line in IMF-fixdate form (RFC 9110 section 5.6.7), formatted at most once a
 * second and shared by every connection.
 *
 * <p><b>Threading:</b> safe from any thread. The cached line is an immutable array published through
 * a volatile field; two threads crossing a second boundary at once may both format it, harmlessly.
 */
public final class DateHeader {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private record Line(long second, byte[] bytes) {}

    private static volatile Line current = new Line(Long.MIN_VALUE, new byte[0]);

    private DateHeader() {}

    /** {@code Date: <IMF-fixdate>\r\n} for the current second. */
    public static byte[] line() {
        return line(System.currentTimeMillis());
    }

    /** {@code Date: <IMF-fixdate>\r\n} for the second containing {@code epochMillis}. */
    public static byte[] line(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000L);
        Line cached = current;
        if (cached.second != second) {
            String text = "Date: " + IMF_FIXDATE.format(Instant.ofEpochSecond(second)) + "\r\n";
            cached = new Line(second, text.getBytes(StandardCharsets.US_ASCII));
            current = cached;
        }
        return cached.bytes;
    }
}
