package io.katana.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.katana.http.HttpHeaders;
import io.katana.http.HttpStatusException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartParserTest {

    private static final String B = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

    /** Records parts as "headers|data" strings, joining data however it was sliced. */
    private static final class Recorder implements MultipartParser.Listener {
        final List<String> parts = new ArrayList<>();
        StringBuilder current;
        int dataCalls;

        @Override
        public void partBegin(HttpHeaders headers) {
            assertThat(current).as("a part began inside another").isNull();
            StringBuilder text = new StringBuilder();
            headers.forEach((n, v) -> text.append(n).append('=').append(v).append(';'));
            current = text.append('|');
        }

        @Override
        public void partData(ByteBuffer data) {
            assertThat(current).as("data outside a part").isNotNull();
            assertThat(data.hasRemaining()).isTrue();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            current.append(new String(bytes, StandardCharsets.ISO_8859_1));
            dataCalls++;
        }

        @Override
        public void partEnd() {
            parts.add(current.toString());
            current = null;
        }
    }

    private static Recorder parse(String body, int... splits) throws Exception {
        Recorder recorder = new Recorder();
        MultipartParser parser = new MultipartParser(B, 1024, 10, recorder);
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        int from = 0;
        for (int split : splits) {
            parser.feed(ByteBuffer.wrap(bytes, from, split - from).slice());
            from = split;
        }
        parser.feed(ByteBuffer.wrap(bytes, from, bytes.length - from).slice());
        parser.finish();
        assertThat(parser.isComplete()).isTrue();
        return recorder;
    }

    private static final String FORM = "--" + B + "\r\n"
            + "Content-Disposition: form-data; name=\"title\"\r\n"
            + "\r\n"
            + "Hello\r\n-- not a boundary\r\n--" + B.substring(0, 20) + " also not\r\r\n\n"
            + "\r\n--" + B + "\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
            + "Content-Type: text/plain\r\n"
            + "\r\n"
            + "line1\r\nline2\r\n"
            + "\r\n--" + B + "--\r\n";

    private static final List<String> FORM_PARTS = List.of(
            "Content-Disposition=form-data; name=\"title\";|Hello\r\n-- not a boundary\r\n--" + B.substring(0, 20) + " also not\r\r\n\n",
            "Content-Disposition=form-data; name=\"file\"; filename=\"a.txt\";Content-Type=text/plain;|line1\r\nline2\r\n");

    @Test
    void readsPartsWithHeadersAndDataThatLookAlmostLikeBoundaries() throws Exception {
        assertThat(parse(FORM).parts).isEqualTo(FORM_PARTS);
    }

    @Test
    void givesTheSameResultWhateverByteTheChunksSplitAt() throws Exception {
        for (int split = 1; split < FORM.length(); split++) {
            assertThat(parse(FORM, split).parts).as("split at %d", split).isEqualTo(FORM_PARTS);
        }
    }

    @Test
    void givesTheSameResultFedOneByteAtATime() throws Exception {
        int[] everyByte = new int[FORM.length() - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertThat(parse(FORM, everyByte).parts).isEqualTo(FORM_PARTS);
    }

    @Test
    void passesDataOnAsItArrivesWithoutWaitingForThePartToEnd() throws Exception {
        Recorder recorder = new Recorder();
        MultipartParser parser = new MultipartParser(B, 1024, 10, recorder);
        parser.feed(ascii("--" + B + "\r\n\r\n" + "x".repeat(1000)));
        assertThat(recorder.current).hasToString("|" + "x".repeat(1000));
        parser.feed(ascii("y".repeat(1000) + "\r\n--"));
        assertThat(recorder.current.length()).isEqualTo(2001); // the possible boundary start is held back
        parser.feed(ascii(B + "--"));
        assertThat(recorder.parts).containsExactly("|" + "x".repeat(1000) + "y".repeat(1000));
    }

    @Test
    void skipsPreambleAndEpilogueAndAllowsTransportPadding() throws Exception {
        String body = "This is the preamble.\r\nIt is ignored.\r\n--" + B + " \t\r\n"
                + "A: 1\r\n\r\ndata\r\n--" + B + "--  trailing junk\r\nepilogue\r\n--" + B + "\r\nignored too";
        assertThat(parse(body).parts).containsExactly("A=1;|data");
    }

    @Test
    void readsEmptyHeaderSectionsEmptyPartsAndEmptyData() throws Exception {
        String body = "--" + B + "\r\n\r\n\r\n--" + B + "\r\nA: \r\n\r\n\r\n--" + B + "--";
        assertThat(parse(body).parts).containsExactly("|", "A=;|");
    }

    @Test
    void readsRawUtf8InHeaderValues() throws Exception {
        byte[] name = "Content-Disposition: form-data; name=\"f\"; filename=\"naïve.txt\"".getBytes(StandardCharsets.UTF_8);
        String latin1 = new String(name, StandardCharsets.ISO_8859_1);
        assertThat(parse("--" + B + "\r\n" + latin1 + "\r\n\r\nx\r\n--" + B + "--").parts)
                .containsExactly("Content-Disposition=form-data; name=\"f\"; filename=\"naïve.txt\";|x");
    }

    @Test
    void failsWith400WhenTheClosingBoundaryNeverComes() {
        assertStatus(400, "ended before its closing boundary", "--" + B + "\r\n\r\ndata");
        assertStatus(400, "ended before its closing boundary", "--" + B + "\r\n\r\ndata\r\n--" + B);
        assertStatus(400, "ended before its closing boundary", "--" + B + "\r\n\r\ndata\r\n--" + B + "-");
        assertStatus(400, "ended before its closing boundary", "--" + B + "\r\nA: 1\r\n");
        assertStatus(400, "no boundary line", "just text, no boundary");
        assertStatus(400, "no boundary line", "");
    }

    @Test
    void failsWith400OnBrokenFraming() {
        assertStatus(400, "rather than CRLF", "--" + B + "X\r\n\r\n\r\n--" + B + "--");
        assertStatus(400, "single '-'", "--" + B + "-x");
        assertStatus(400, "CR without LF", "--" + B + "\rx");
        assertStatus(400, "not 'name: value'", "--" + B + "\r\nno colon\r\n\r\n\r\n--" + B + "--");
        assertStatus(400, "folded", "--" + B + "\r\nA: 1\r\n folded\r\n\r\n\r\n--" + B + "--");
        assertStatus(400, "CR without LF", "--" + B + "\r\nA: 1\rB: 2\r\n\r\n\r\n--" + B + "--");
        assertStatus(400, "control character", "--" + B + "\r\nA: 1\u0000\r\n\r\n\r\n--" + B + "--");
    }

    @Test
    void failsWith413OverThePartAndHeaderLimits() throws Exception {
        assertStatus(413, "more than 10 parts", ("--" + B + "\r\n\r\nx\r\n").repeat(11) + "--" + B + "--");
        assertStatus(413, "over 1024 bytes", "--" + B + "\r\nA: " + "a".repeat(1100) + "\r\n\r\n\r\n--" + B + "--");
        assertThat(parse(("--" + B + "\r\n\r\nx\r\n").repeat(10) + "--" + B + "--").parts).hasSize(10);
    }

    @Test
    void staysFailedAfterAnError() throws Exception {
        MultipartParser parser = new MultipartParser(B, 1024, 10, new Recorder());
        assertThatThrownBy(() -> parser.feed(ascii("--" + B + "X"))).isInstanceOf(HttpStatusException.class);
        assertThatThrownBy(() -> parser.feed(ascii("\r\n"))).hasMessageContaining("rather than CRLF");
        assertThatThrownBy(parser::finish).hasMessageContaining("rather than CRLF");
    }

    @Test
    void readsTheBoundaryParameter() {
        assertThat(MultipartParser.boundary("multipart/form-data; boundary=" + B)).isEqualTo(B);
        assertThat(MultipartParser.boundary("Multipart/Form-Data;charset=utf-8; BOUNDARY=\"a b:c\"")).isEqualTo("a b:c");
        assertThatThrownBy(() -> MultipartParser.boundary("multipart/form-data")).hasMessageContaining("no boundary");
        assertThatThrownBy(() -> MultipartParser.boundary("multipart/form-data; boundary=" + "a".repeat(71))).hasMessageContaining("1 to 70");
        assertThatThrownBy(() -> MultipartParser.boundary("multipart/form-data; boundary=a\rb")).hasMessageContaining("position 1");
        assertThatThrownBy(() -> MultipartParser.boundary("text/plain")).isInstanceOfSatisfying(HttpStatusException.class,
                e -> assertThat(e.status()).isEqualTo(415));
        assertThatThrownBy(() -> MultipartParser.boundary(null)).hasMessageContaining("no Content-Type");
    }

    private static void assertStatus(int status, String message, String body) {
        assertThatThrownBy(() -> parse(body)).as(body).isInstanceOfSatisfying(HttpStatusException.class,
                e -> assertThat(e.status()).isEqualTo(status)).hasMessageContaining(message);
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
