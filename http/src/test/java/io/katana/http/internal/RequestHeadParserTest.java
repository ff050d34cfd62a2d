package io.katana.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.http.HttpLimits;
import io.katana.http.HttpMethod;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The head parser, fed each request whole, split at every byte position, and one byte at a time, the
 * way the reactor presents unconsumed bytes again with newer ones behind them.
 */
class RequestHeadParserTest {

    /** What a parse produced, comparable across splits. */
    record Outcome(int result, int status, String method, String target, String path, String query,
                   int form, int minor, List<String> fields, long contentLength, boolean chunked,
                   boolean keepAlive, boolean expectContinue, int length) {}

    static Stream<Arguments> validRequests() {
        return Stream.of(
                Arguments.of("GET /plaintext HTTP/1.1\r\nHost: localhost:8080\r\nAccept: text/plain\r\nConnection: keep-alive\r\n\r\n"),
                Arguments.of("GET / HTTP/1.0\r\n\r\n"),
                Arguments.of("\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n"),
                Arguments.of("POST /submit?a=1&b=%20x HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\n"),
                Arguments.of("PUT /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"),
                Arguments.of("GET http://example.com:80/a/b?c HTTP/1.1\r\nHost: example.com:80\r\n\r\n"),
                Arguments.of("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"),
                Arguments.of("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"),
                Arguments.of("GET /v HTTP/1.1\r\nHost: [::1]:8080\r\nX-Empty:\r\nX-Spaces: \t a  b \t\r\nUser-Agent: caf\u00e9\r\n\r\n"),
                Arguments.of("POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n"),
                Arguments.of("MKCALENDAR /cal HTTP/1.1\r\nHost: h\r\n\r\n"),
                Arguments.of("GET /q?x={\"a\"|b}&y=[1] HTTP/1.1\r\nHost: h\r\n\r\n".replace("\"", "")),
                Arguments.of("GET / HTTP/1.2\r\nHost: h\r\nConnection: close\r\n\r\n"),
                Arguments.of("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"));
    }

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                Arguments.of("GET / HTTP/1.1\r\n\r\n", 400), // no Host
                Arguments.of("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: user@h\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: h/path\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: h:80, other\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\nHost: h\r\n\r\n", 400), // bare LF
                Arguments.of("GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\rHost: h\r\n\r\n", 400), // bare CR
                Arguments.of("GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", 400), // obs-fold
                Arguments.of("GET / HTTP/1.1\r\n Host: h\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: h\r\nBad[Name: v\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: h\r\nX: a\u0001b\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: h\r\nX: a\u007fb\r\n\r\n", 400),
                Arguments.of("G\u0000T / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of(" / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET /a#frag HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET /caf\u00e9 HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET /%zz HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET /\r\n\r\n", 400), // HTTP/0.9
                Arguments.of("GET / http/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET / HTTP/01.01\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.10\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET / HTTP/ 1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505),
                Arguments.of("GET / HTTP/0.9\r\nHost: h\r\n\r\n", 505),
                Arguments.of("GET * HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("CONNECT /x HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET ftp://h/ HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET http://u@h/ HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", 400),
                Arguments.of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\n\r\n", 400),
                Arguments.of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\n", 400),
                Arguments.of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400),
                Arguments.of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x5\r\n\r\n", 400),
                Arguments.of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 005\r\n\r\n", 400),
                Arguments.of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n", 400),
                Arguments.of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\n", 400),
                Arguments.of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 20000000\r\n\r\n", 413),
                Arguments.of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
                Arguments.of("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400),
                Arguments.of("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400),
                Arguments.of("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: \r\n\r\n", 400),
                Arguments.of("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
                Arguments.of("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
                Arguments.of("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: xchunked\r\n\r\n", 501),
                Arguments.of("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: \u000bchunked\r\n\r\n", 400),
                Arguments.of("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
                Arguments.of("POST / HTTP/1.1\r\nHost: h\r\nContent-Type: a\r\nContent-Type: b\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\n\r\n", 417));
    }

    @ParameterizedTest
    @MethodSource("validRequests")
    void validRequestsParseTheSameAtEverySplit(String raw) {
        byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        Outcome whole = parseInPieces(bytes, bytes.length);
        assertThat(whole.result()).as("whole request").isEqualTo(RequestHeadParser.COMPLETE);
        assertThat(whole.length()).isEqualTo(bytes.length);
        for (int split = 1; split < bytes.length; split++) {
            assertThat(parseSplitOnce(bytes, split)).as("split at %d", split).isEqualTo(whole);
        }
        assertThat(parseInPieces(bytes, 1)).as("one byte at a time").isEqualTo(whole);
    }

    @ParameterizedTest
    @MethodSource("invalidRequests")
    void invalidRequestsAreRefusedWithTheSameStatusAtEverySplit(String raw, int status) {
        byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        Outcome whole = parseInPieces(bytes, bytes.length);
        assertThat(whole.result()).as("whole request").isEqualTo(RequestHeadParser.ERROR);
        assertThat(whole.status()).isEqualTo(status);
        for (int split = 1; split < bytes.length; split++) {
            Outcome outcome = parseSplitOnce(bytes, split);
            assertThat(outcome.result()).as("split at %d", split).isEqualTo(RequestHeadParser.ERROR);
            assertThat(outcome.status()).as("split at %d", split).isEqualTo(status);
        }
        assertThat(parseInPieces(bytes, 1).status()).as("one byte at a time").isEqualTo(status);
    }

    @Test
    void recordsTheParts() {
        String raw = "POST http://Example.com:8080/a%20b/c?x=1&y HTTP/1.1\r\nHost: example.com:8080\r\n"
                + "X-Pad:   v  \r\nContent-Length: 12\r\nConnection: close\r\n\r\nBODY";
        Outcome outcome = parseInPieces(bytes(raw), 1000);
        assertThat(outcome.result()).isEqualTo(RequestHeadParser.COMPLETE);
        assertThat(outcome.method()).isEqualTo("POST");
        assertThat(outcome.form()).isEqualTo(RequestHead.ABSOLUTE_FORM);
        assertThat(outcome.path()).isEqualTo("/a%20b/c");
        assertThat(outcome.query()).isEqualTo("x=1&y");
        assertThat(outcome.fields()).containsExactly("Host=example.com:8080", "X-Pad=v", "Content-Length=12", "Connection=close");
        assertThat(outcome.contentLength()).isEqualTo(12);
        assertThat(outcome.keepAlive()).isFalse();
        assertThat(outcome.length()).isEqualTo(raw.length() - "BODY".length());
    }

    @Test
    void whitespaceAroundTheContentLengthValueIsNotPartOfIt() {
        // RFC 9112 section 5: a parser excludes the whitespace before and after a field value.
        for (String value : List.of(":12", ": 12", ":\t12", ":      \t     12", ": 12     \t     ", ":\t 12 \t")) {
            Outcome outcome = parseInPieces(bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length" + value + "\r\n\r\n"), 1);
            assertThat(outcome.result()).as("Content-Length%s", value).isEqualTo(RequestHeadParser.COMPLETE);
            assertThat(outcome.contentLength()).as("Content-Length%s", value).isEqualTo(12);
        }
    }

    @Test
    void anEmptyHostIsAccepted() {
        // RFC 9112 section 3.2: a client sends an empty Host when the target URI has no authority.
        assertThat(parseInPieces(bytes("GET / HTTP/1.1\r\nHost: \r\n\r\n"), 100).result())
                .isEqualTo(RequestHeadParser.COMPLETE);
        assertThat(parseInPieces(bytes("GET / HTTP/1.1\r\nHost:\r\n\r\n"), 100).result())
                .isEqualTo(RequestHeadParser.COMPLETE);
    }

    @Test
    void anAbsoluteTargetWinsOverADifferentHost() {
        // RFC 9112 section 3.2.2: the server MUST ignore Host and use the target's authority.
        assertThat(parseInPieces(bytes("GET http://other/ HTTP/1.1\r\nHost: h\r\n\r\n"), 100).result())
                .isEqualTo(RequestHeadParser.COMPLETE);
        assertThat(parseInPieces(bytes("GET http://EXAMPLE.com/ HTTP/1.1\r\nHost: example.COM\r\n\r\n"), 100).result())
                .isEqualTo(RequestHeadParser.COMPLETE);
    }

    @Test
    void stopsAtTheEndOfTheHeadAndLeavesTheRestAlone() {
        byte[] two = bytes("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n");
        Outcome first = parseInPieces(two, two.length);
        assertThat(first.path()).isEqualTo("/a");
        assertThat(first.length()).isEqualTo(two.length / 2);
    }

    @Test
    void keepAliveFollowsTheVersionAndConnectionOptions() {
        assertThat(parseInPieces(bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), 99).keepAlive()).isTrue();
        assertThat(parseInPieces(bytes("GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, Close\r\n\r\n"), 99).keepAlive()).isFalse();
        assertThat(parseInPieces(bytes("GET / HTTP/1.0\r\n\r\n"), 99).keepAlive()).isFalse();
        assertThat(parseInPieces(bytes("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"), 99).keepAlive()).isTrue();
    }

    @Test
    void canLeaveOutFieldsWithUnderscoresWhileCountingThem() {
        RequestHeadParser parser = new RequestHeadParser(HttpLimits.DEFAULT.withMaxHeaderCount(3), true);
        RequestHead head = new RequestHead();
        parser.begin(head);
        ByteBuffer ok = ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\nHost: h\r\nX_Y: 1\r\nZ: 2\r\n\r\n"));
        assertThat(parser.parse(ok, 0, ok.limit())).isEqualTo(RequestHeadParser.COMPLETE);
        assertThat(head.fieldCount()).isEqualTo(2);
        assertThat(head.latin1(head.fieldNameStart(1), head.fieldNameEnd(1))).isEqualTo("Z");
        parser.begin(head);
        ByteBuffer tooMany = ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\nHost: h\r\nA_1: 1\r\nA_2: 2\r\nA_3: 3\r\n\r\n"));
        assertThat(parser.parse(tooMany, 0, tooMany.limit())).isEqualTo(RequestHeadParser.ERROR);
        assertThat(parser.errorStatus()).isEqualTo(431);
    }

    @Test
    void expectContinueIsIgnoredInHttp10() {
        assertThat(parseInPieces(bytes("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n"), 99)
                .expectContinue()).isFalse();
    }

    @Test
    void limitsGiveTheirStatusesWithoutWaitingForTheEnd() {
        HttpLimits small = HttpLimits.DEFAULT.withMaxRequestLineLength(64).withMaxHeaderBlockSize(64).withMaxHeaderCount(3);
        assertThat(parse(small, "GET /" + "a".repeat(100)).status()).isEqualTo(414);
        assertThat(parse(small, "A".repeat(100)).status()).isEqualTo(400); // a method that long is not a target
        assertThat(parse(small, "GET / HTTP/1.1\r\nHost: h\r\nX: " + "v".repeat(100)).status()).isEqualTo(431);
        assertThat(parse(small, "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n").status()).isEqualTo(431);
        assertThat(parse(small, "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n").result()).isEqualTo(RequestHeadParser.COMPLETE);
        // Exactly at the limit is allowed: the request line with its CRLF is 64 bytes.
        String line = "GET /" + "a".repeat(64 - 16) + " HTTP/1.1\r\n";
        assertThat(line).hasSize(64);
        assertThat(parse(small, line + "Host: h\r\n\r\n").result()).isEqualTo(RequestHeadParser.COMPLETE);
        assertThat(parse(small, line.replace("GET /", "GET /a") + "Host: h\r\n\r\n").status()).isEqualTo(414);
    }

    @Test
    void anIncompleteHeadNeedsMore() {
        for (String partial : List.of("GET", "GET ", "GET /", "GET / H", "GET / HTTP/1.", "GET / HTTP/1.1\r",
                "GET / HTTP/1.1\r\nHost: h\r\n", "GET / HTTP/1.1\r\nHost: h\r\n\r")) {
            assertThat(parseInPieces(bytes(partial), 100).result()).as(partial).isEqualTo(RequestHeadParser.NEED_MORE);
        }
    }

    // ------------------------------------------------------------------ harness

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Outcome parse(HttpLimits limits, String text) {
        return run(limits, bytes(text), new int[] {bytes(text).length});
    }

    /** Presents bytes [0, k) for growing k in steps of {@code step}, as the reactor re-presents unconsumed input. */
    private static Outcome parseInPieces(byte[] bytes, int step) {
        List<Integer> ends = new ArrayList<>();
        for (int end = Math.min(step, bytes.length); ; end = Math.min(end + step, bytes.length)) {
            ends.add(end);
            if (end == bytes.length) {
                break;
            }
        }
        return run(HttpLimits.DEFAULT, bytes, ends.stream().mapToInt(Integer::intValue).toArray());
    }

    private static Outcome parseSplitOnce(byte[] bytes, int split) {
        return run(HttpLimits.DEFAULT, bytes, new int[] {split, bytes.length});
    }

    private static Outcome run(HttpLimits limits, byte[] bytes, int[] ends) {
        RequestHeadParser parser = new RequestHeadParser(limits);
        RequestHead head = new RequestHead();
        parser.begin(head);
        int result = RequestHeadParser.NEED_MORE;
        int offset = 0;
        for (int end : ends) {
            // A fresh direct buffer each time, with the request at a varying offset: the parser may
            // keep nothing but offsets relative to the request's first byte.
            offset = (offset + 7) % 13;
            ByteBuffer buf = ByteBuffer.allocateDirect(offset + end + 5);
            buf.position(offset);
            buf.put(bytes, 0, end);
            buf.put("junk!".getBytes(StandardCharsets.US_ASCII));
            int position = buf.position();
            buf.flip();
            buf.position(offset).limit(offset + end);
            result = parser.parse(buf, offset, offset + end);
            assertThat(buf.position()).as("the parser does not move the position").isEqualTo(offset);
            assertThat(position).isPositive();
            if (result != RequestHeadParser.NEED_MORE) {
                head.detach(); // read the outcome from a copy, as the buffer is gone after the callback
                break;
            }
        }
        if (result != RequestHeadParser.COMPLETE) {
            return new Outcome(result, result == RequestHeadParser.ERROR ? parser.errorStatus() : 0,
                    null, null, null, null, 0, 0, List.of(), 0, false, false, false, 0);
        }
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < head.fieldCount(); i++) {
            fields.add(head.latin1(head.fieldNameStart(i), head.fieldNameEnd(i)) + "="
                    + head.latin1(head.fieldValueStart(i), head.fieldValueEnd(i)));
        }
        HttpMethod method = head.method();
        return new Outcome(result, 0, method.name(), head.latin1(head.targetStart(), head.targetEnd()),
                head.latin1(head.pathStart(), head.pathEnd()),
                head.queryStart() < 0 ? null : head.latin1(head.queryStart(), head.queryEnd()),
                head.targetForm(), head.minorVersion(), fields, head.contentLength(), head.isChunked(),
                head.keepAlive(), head.expectContinue(), head.length());
    }
}
