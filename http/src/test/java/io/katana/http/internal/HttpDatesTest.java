package io.katana.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HttpDatesTest {

    @Test
    void formatsEachDateItsOwnWayWhateverWasFormattedBefore() {
        Instant rfcExample = Instant.parse("1994-11-06T08:49:37Z");
        Instant later = Instant.parse("2026-12-03T20:55:01.750Z");
        for (int round = 0; round < 3; round++) { // alternating, so the one remembered date is replaced each time
            assertThat(HttpDates.format(rfcExample)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
            assertThat(HttpDates.format(later)).isEqualTo("Thu, 03 Dec 2026 20:55:01 GMT");
        }
        assertThat(HttpDates.format(Instant.parse("2026-12-03T20:55:01.001Z")))
                .as("the same second, another fraction").isEqualTo("Thu, 03 Dec 2026 20:55:01 GMT");
    }

    @Test
    void readsWhatItWrites() {
        Instant date = Instant.parse("2001-02-03T04:05:06Z");
        assertThat(HttpDates.parse(HttpDates.format(date))).isEqualTo(date);
    }
}
