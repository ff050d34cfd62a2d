package io.katana.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CookieHeaderTest {

    @Test
    void readsPairsInOrder() {
        assertThat(CookieHeader.parse(List.of("a=1; b=2;c=3")))
                .containsExactly(java.util.Map.entry("a", "1"), java.util.Map.entry("b", "2"), java.util.Map.entry("c", "3"));
    }

    @Test
    void theFirstOfARepeatedNameWinsAcrossFields() {
        assertThat(CookieHeader.parse(List.of("sid=specific; sid=general", "sid=third; x=y")))
                .containsEntry("sid", "specific").containsEntry("x", "y").hasSize(2);
    }

    @Test
    void skipsWhatItCannotReadAndNeverThrows() {
        assertThat(CookieHeader.parse(List.of(";; novalue; =nameless; ok=1;  spaced  =  v  ; ; tail=")))
                .containsExactly(java.util.Map.entry("ok", "1"), java.util.Map.entry("spaced", "v"), java.util.Map.entry("tail", ""));
        assertThat(CookieHeader.parse(List.of("", " ", "=", ";"))).isEmpty();
        assertThat(CookieHeader.parse(List.of("a=\u0001x; b=2"))).containsOnlyKeys("b");
        assertThat(CookieHeader.parse(List.of())).isEmpty();
    }

    @Test
    void dropsOnePairOfQuotesAndKeepsEqualsSignsInValues() {
        assertThat(CookieHeader.parse(List.of("q=\"quoted\"; b64=YQ==; lone=\"")))
                .containsEntry("q", "quoted").containsEntry("b64", "YQ==").containsEntry("lone", "\"");
    }

    @Test
    void readsUtf8BytesAsUtf8AndKeepsOtherBytesAsTheyCame() {
        String utf8AsLatin1 = new String("é".getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(CookieHeader.parse(List.of("n=" + utf8AsLatin1 + "; m=\u00e9"))).containsEntry("n", "é").containsEntry("m", "\u00e9");
    }
}
