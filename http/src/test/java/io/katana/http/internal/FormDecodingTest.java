package io.katana.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.katana.http.HttpStatusException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormDecodingTest {

    private static Map<String, List<String>> decode(String body) {
        return FormDecoding.decode(ByteBuffer.wrap(body.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void decodesRepeatedKeysPlusAndPercentUtf8() {
        Map<String, List<String>> form = decode("name=J%C3%BCrgen+M&tag=a&tag=b%26c&empty=&flag&x%3Dy=1%2B1");
        assertThat(form).containsExactly(
                Map.entry("name", List.of("Jürgen M")),
                Map.entry("tag", List.of("a", "b&c")),
                Map.entry("empty", List.of("")),
                Map.entry("flag", List.of("")),
                Map.entry("x=y", List.of("1+1")));
    }

    @Test
    void skipsEmptyPairsAndReadsOnlyTheBuffersRemainingBytes() {
        assertThat(decode("&&a=1&&")).containsExactly(Map.entry("a", List.of("1")));
        assertThat(decode("")).isEmpty();
        ByteBuffer window = ByteBuffer.wrap("xxa=1&b=2yy".getBytes(StandardCharsets.US_ASCII), 2, 7);
        assertThat(FormDecoding.decode(window)).containsOnlyKeys("a", "b");
        assertThat(window.position()).isEqualTo(2);
    }

    @Test
    void answersMalformedInputWith400() {
        for (String bad : List.of("a=%", "a=%4", "a=%zz", "%G1=b", "a=%C3", "a=%FF")) {
            assertThatThrownBy(() -> decode(bad)).as(bad).isInstanceOfSatisfying(HttpStatusException.class,
                    e -> assertThat(e.status()).isEqualTo(400));
        }
        assertThatThrownBy(() -> decode("ok=1&a=%zz")).hasMessageContaining("form field 2").hasMessageContaining("%25");
    }

    @Test
    void capsTheFieldCountWith413() {
        String atLimit = "a=1&".repeat(FormDecoding.MAX_FIELDS);
        assertThat(decode(atLimit).get("a")).hasSize(FormDecoding.MAX_FIELDS);
        assertThatThrownBy(() -> decode(atLimit + "b=2")).isInstanceOfSatisfying(HttpStatusException.class,
                e -> assertThat(e.status()).isEqualTo(413));
    }

    @Test
    void recognisesTheMediaTypeWithParametersAndAnyCase() {
        assertThat(FormDecoding.isForm("application/x-www-form-urlencoded")).isTrue();
        assertThat(FormDecoding.isForm("Application/X-WWW-Form-Urlencoded ; charset=UTF-8")).isTrue();
        assertThat(FormDecoding.isForm("multipart/form-data; boundary=x")).isFalse();
        assertThat(FormDecoding.isForm(null)).isFalse();
    }
}
