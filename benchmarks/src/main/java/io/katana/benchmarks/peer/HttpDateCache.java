package io.katana.benchmarks.peer;

import io.netty.util.AsciiString;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The value of the {@code Date} header, formatted at most once per second, as Katana's HTTP server
 * does, so the peer pays the same for it.
 *
 * <p><b>Threading:</b> one instance per event loop thread; not shared.
 */
final class HttpDateCache {
    private long second = Long.MIN_VALUE;
    private AsciiString value;

    /** The IMF-fixdate of the current second. */
    AsciiString now() {
        long millis = System.currentTimeMillis();
        long current = millis / 1000;
        if (current != second) {
            second = current;
            value = new AsciiString(DateTimeFormatter.RFC_1123_DATE_TIME
                    .format(Instant.ofEpochSecond(current).atOffset(ZoneOffset.UTC)));
        }
        return value;
    }
}
