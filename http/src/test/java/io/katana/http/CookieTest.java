package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CookieTest {

    @Test
    void writesEveryAttributeInOneFieldValue() {
        Cookie cookie = Cookie.builder("id", "a3fWa")
                .expires(Instant.parse("2015-10-21T07:28:00Z"))
                .maxAge(Duration.ofHours(1))
                .domain("example.com")
                .path("/app")
                .secure()
                .httpOnly()
                .sameSite(Cookie.SameSite.NONE)
                .partitioned()
                .build();
        assertThat(cookie.headerValue()).isEqualTo("id=a3fWa; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Max-Age=3600;"
                + " Domain=example.com; Path=/app; Secure; HttpOnly; SameSite=None; Partitioned");
    }

    @Test
    void writesExpiresAsImfFixdateWithTwoDigitDaysInGmt() {
        Cookie cookie = Cookie.builder("a", "b").expires(Instant.parse("1994-11-06T08:49:37.900Z")).build();
        assertThat(cookie.headerValue()).isEqualTo("a=b; Expires=Sun, 06 Nov 1994 08:49:37 GMT");
    }

    @Test
    void aPlainCookieHasNoAttributesAndMayBeEmptyOrQuoted() {
        assertThat(Cookie.of("theme", "dark").headerValue()).isEqualTo("theme=dark");
        assertThat(Cookie.of("gone", "").headerValue()).isEqualTo("gone=");
        assertThat(Cookie.of("q", "\"x=y\"").headerValue()).isEqualTo("q=\"x=y\"");
        assertThat(Cookie.builder("s", "").maxAge(Duration.ZERO).build().headerValue()).isEqualTo("s=; Max-Age=0");
    }

    @Test
    void refusesNamesAndValuesACookieCannotCarry() {
        assertThatThrownBy(() -> Cookie.of("", "v")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Cookie.of("a b", "v")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cookie name \"a b\" has ' ' at position 1");
        assertThatThrownBy(() -> Cookie.of("a=", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cookie.of("a", "x;y")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value of cookie 'a' has ';' at position 1").hasMessageContaining("encode it first");
        assertThatThrownBy(() -> Cookie.of("a", "é")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cookie.of("a", "x\r\nSet-Cookie: evil=1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\\u000d");
        assertThatThrownBy(() -> Cookie.of("a", "\"")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAttributesThatWouldBreakTheField() {
        Cookie.Builder b = Cookie.builder("a", "b");
        assertThatThrownBy(() -> b.path("app")).hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> b.path("/a;b")).hasMessageContaining("position 2");
        assertThatThrownBy(() -> b.domain("ex ample.com")).hasMessageContaining("' ' at position 2");
        assertThatThrownBy(() -> b.domain("")).hasMessageContaining("leave it unset");
        assertThatThrownBy(() -> b.maxAge(Duration.ofSeconds(-1))).hasMessageContaining("Duration.ZERO");
        assertThatThrownBy(() -> b.expires(Instant.parse("1500-01-01T00:00:00Z"))).hasMessageContaining("1601 to 9999");
    }

    @Test
    void refusesCombinationsBrowsersDrop() {
        assertThatThrownBy(() -> Cookie.builder("a", "b").sameSite(Cookie.SameSite.NONE).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SameSite=None needs Secure");
        assertThatThrownBy(() -> Cookie.builder("a", "b").partitioned().build()).hasMessageContaining("Partitioned needs Secure");
        assertThatThrownBy(() -> Cookie.builder("__Secure-a", "b").build()).hasMessageContaining("__Secure-");
        assertThatThrownBy(() -> Cookie.builder("__Host-a", "b").secure().path("/x").build()).hasMessageContaining("__Host-");
        assertThat(Cookie.builder("__Host-a", "b").secure().path("/").build().headerValue())
                .isEqualTo("__Host-a=b; Path=/; Secure");
        assertThat(Cookie.builder("a", "b").sameSite(Cookie.SameSite.STRICT).build().headerValue()).isEqualTo("a=b; SameSite=Strict");
    }
}
