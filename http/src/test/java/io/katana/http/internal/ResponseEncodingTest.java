package io.katana.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ResponseEncodingTest {

    @Test
    void dateLineIsImfFixdateAndCachedWithinASecond() {
        long millis = ZonedDateTime.of(1994, 11, 6, 8, 49, 37, 0, ZoneOffset.UTC).toInstant().toEpochMilli();
        byte[] line = DateHeader.line(millis);
        assertThat(new String(line, StandardCharsets.US_ASCII)).isEqualTo("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n");
        assertThat(DateHeader.line(millis + 999)).isSameAs(line);
        assertThat(new String(DateHeader.line(millis + 1000), StandardCharsets.US_ASCII)).contains("08:49:38");
        String now = new String(DateHeader.line(), StandardCharsets.US_ASCII);
        ZonedDateTime parsed = ZonedDateTime.parse(now.substring(6, now.length() - 2),
                DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC));
        assertThat(parsed.toInstant().toEpochMilli()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5_000L));
    }

    @Test
    void encodesNumbersAndUtf8() {
        ResponseEncoder out = new ResponseEncoder(4);
        out.putDecimal(0).put(' ').putDecimal(1234567890123L).put(' ').putHex(0).put(' ').putHex(0x1fA0)
                .put(' ').putHex(255);
        String text = "h\u00e9 \u20ac \ud83d\ude00 \ud800x";
        out.put(' ').putUtf8(text, ResponseEncoder.utf8Length(text));
        String expectedText = text.replace("\ud800", "?");
        assertThat(new String(out.toArray(), StandardCharsets.UTF_8))
                .isEqualTo("0 1234567890123 0 1fa0 ff " + expectedText);
        assertThat(ResponseEncoder.utf8Length(text)).isEqualTo(expectedText.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void statusLinesHaveReasonPhrasesWhereRfc9110DefinesThem() {
        assertThat(new String(StatusLines.line(200), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK\r\n");
        assertThat(new String(StatusLines.line(431), StandardCharsets.US_ASCII))
                .isEqualTo("HTTP/1.1 431 Request Header Fields Too Large\r\n");
        assertThat(new String(StatusLines.line(299), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 299 \r\n");
        assertThat(StatusLines.forbidsContent(204)).isTrue();
        assertThat(StatusLines.forbidsContent(304)).isTrue();
        assertThat(StatusLines.forbidsContent(101)).isTrue();
        assertThat(StatusLines.forbidsContent(200)).isFalse();
    }
}
