package io.katana.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.http.HttpLimits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The chunked decoder, fed each body whole, split at every byte, and one byte at a time. */
class ChunkedDecoderTest {

    record Outcome(int result, int status, String body, List<String> trailers, int consumed) {}

    static Stream<Arguments> validBodies() {
        return Stream.of(
                Arguments.of("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world", List.of()),
                Arguments.of("0\r\n\r\n", "", List.of()),
                Arguments.of("A\r\n0123456789\r\n000\r\n\r\n", "0123456789", List.of()),
                Arguments.of("a;ext=1;flag\r\n0123456789\r\n0\r\n\r\n", "0123456789", List.of()),
                Arguments.of("5 ;a = \"q\\\"x;y\" ; b=c\r\nhello\r\n0\r\n\r\n", "hello", List.of()),
                Arguments.of("5\r\nhello\r\n0\r\nX-Checksum: abc \r\nVary: *\r\n\r\n", "hello",
                        List.of("X-Checksum", "abc", "Vary", "*")));
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("z\r\nabc\r\n0\r\n\r\n", 400),
                Arguments.of("+5\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("-1\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("0x5\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of(" 5\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("5 \r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("1_0\r\nhello world!!!!!\r\n0\r\n\r\n", 400),
                Arguments.of("5;\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("5;bad[=x\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("5;a\u0000\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("5;a\rX\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("5;a=\"open\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("5\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("5\rhello\r\n0\r\n\r\n", 400),
                Arguments.of("5\r\nhello!!\r\n0\r\n\r\n", 400),
                Arguments.of("5\r\nhello\n0\r\n\r\n", 400),
                Arguments.of("5\r\nhello0\r\n\r\n", 400),
                Arguments.of("5\r\nhello\r\n0\r\n\n", 400),
                Arguments.of("5\r\nhello\r\n0\r\nContent-Length: 50\r\n\r\n", 400),
                Arguments.of("5\r\nhello\r\n0\r\nHost: evil\r\n\r\n", 400),
                Arguments.of("5\r\nhello\r\n0\r\n folded\r\n\r\n", 400),
                Arguments.of("5\r\nhello\r\n0\r\nBad Name: x\r\n\r\n", 400),
                Arguments.of("00000000000000005\r\nhello\r\n", 400), // more hex digits than a size needs
                Arguments.of("fffffffffffffffff\r\n", 400), // too long to be a length: malformed, not too large
                Arguments.of("FFFFFFFFFFFFFFFF0\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("8000000000000000\r\n", 400), // beyond a signed 64-bit length
                Arguments.of("7fffffffffffffff\r\n", 413),
                Arguments.of("ffffffffff\r\n", 413),
                Arguments.of("ffffffffff;ext=1\r\n", 413));
    }

    @ParameterizedTest
    @MethodSource("validBodies")
    void decodesTheSameAtEverySplit(String raw, String body, List<String> trailers) {
        byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        Outcome whole = decode(HttpLimits.DEFAULT, bytes, bytes.length);
        assertThat(whole).isEqualTo(new Outcome(ChunkedDecoder.DONE, 0, body, trailers, bytes.length));
        for (int split = 1; split < bytes.length; split++) {
            assertThat(decodeSplit(bytes, split)).as("split at %d", split).isEqualTo(whole);
        }
        assertThat(decode(HttpLimits.DEFAULT, bytes, 1)).as("one byte at a time").isEqualTo(whole);
    }

    @ParameterizedTest
    @MethodSource("invalidBodies")
    void refusesMalformedBodiesAtEverySplit(String raw, int status) {
        byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(decode(HttpLimits.DEFAULT, bytes, bytes.length).status()).isEqualTo(status);
        for (int split = 1; split < bytes.length; split++) {
            Outcome outcome = decodeSplit(bytes, split);
            assertThat(outcome.result()).as("split at %d", split).isEqualTo(ChunkedDecoder.ERROR);
            assertThat(outcome.status()).as("split at %d", split).isEqualTo(status);
        }
        assertThat(decode(HttpLimits.DEFAULT, bytes, 1).status()).isEqualTo(status);
    }

    @Test
    void stopsAtTheEndOfTheBody() {
        byte[] bytes = "3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
        Outcome outcome = decode(HttpLimits.DEFAULT, bytes, bytes.length);
        assertThat(outcome.body()).isEqualTo("abc");
        assertThat(outcome.consumed()).isEqualTo(13);
    }

    @Test
    void enforcesTheBodyAndTrailerLimits() {
        HttpLimits small = HttpLimits.DEFAULT.withMaxBodySize(8).withMaxHeaderBlockSize(64).withMaxHeaderCount(2);
        assertThat(decode(small, ascii("5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n"), 100).result()).isEqualTo(ChunkedDecoder.DONE);
        assertThat(decode(small, ascii("5\r\nhello\r\n4\r\nabcd\r\n0\r\n\r\n"), 100).status()).isEqualTo(413);
        assertThat(decode(small, ascii("0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), 100).status()).isEqualTo(431);
        assertThat(decode(small, ascii("0\r\nA: " + "x".repeat(80) + "\r\n\r\n"), 100).status()).isEqualTo(431);
        assertThat(decode(HttpLimits.DEFAULT, ascii("5;" + "e".repeat(5000) + "\r\n"), 100).status()).isEqualTo(400);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static Outcome decodeSplit(byte[] bytes, int split) {
        return decode(HttpLimits.DEFAULT, bytes, new int[] {split, bytes.length});
    }

    private static Outcome decode(HttpLimits limits, byte[] bytes, int step) {
        int pieces = (bytes.length + step - 1) / step;
        int[] ends = new int[pieces];
        for (int i = 0; i < pieces; i++) {
            ends[i] = Math.min((i + 1) * step, bytes.length);
        }
        return decode(limits, bytes, ends);
    }

    /** Feeds [previous end, end) each time: the decoder consumes everything it is given. */
    private static Outcome decode(HttpLimits limits, byte[] bytes, int[] ends) {
        ChunkedDecoder decoder = new ChunkedDecoder(limits);
        BodyBuffer sink = new BodyBuffer();
        decoder.begin(sink, limits.maxBodySize());
        int from = 0;
        int result = ChunkedDecoder.NEED_MORE;
        int consumed = 0;
        for (int end : ends) {
            ByteBuffer buf = ByteBuffer.allocateDirect(3 + end - from);
            buf.position(3).put(bytes, from, end - from).flip().position(3);
            result = decoder.decode(buf, 3, buf.limit());
            consumed += decoder.position() - 3;
            from = end;
            if (result != ChunkedDecoder.NEED_MORE) {
                break;
            }
        }
        return new Outcome(result, result == ChunkedDecoder.ERROR ? decoder.errorStatus() : 0,
                new String(sink.array(), 0, sink.length(), StandardCharsets.ISO_8859_1),
                decoder.trailers(), result == ChunkedDecoder.DONE ? consumed : -1);
    }
}
