package io.katana.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class AcceptEncodingTest {

    @Test
    void honoursQValuesAndTheWildcard() {
        assertThat(AcceptEncoding.acceptsGzip(List.of("gzip"))).isTrue();
        assertThat(AcceptEncoding.acceptsGzip(List.of("deflate, GZIP;q=0.5"))).isTrue();
        assertThat(AcceptEncoding.acceptsGzip(List.of("gzip;q=0"))).isFalse();
        assertThat(AcceptEncoding.acceptsGzip(List.of("gzip;q=0.000"))).isFalse();
        assertThat(AcceptEncoding.acceptsGzip(List.of("*;q=0.1"))).isTrue();
        assertThat(AcceptEncoding.acceptsGzip(List.of("*", "gzip;q=0"))).isFalse(); // named beats the wildcard
        assertThat(AcceptEncoding.acceptsGzip(List.of("identity", "br"))).isFalse();
        assertThat(AcceptEncoding.acceptsGzip(List.of("x-gzip"))).isTrue();
        assertThat(AcceptEncoding.acceptsGzip(List.of("gzip;q=banana"))).isFalse();
        assertThat(AcceptEncoding.acceptsGzip(List.of())).isFalse();
    }

    @Test
    void gzipEncoderMakesOneMemberFromFlushedPieces() throws IOException {
        GzipEncoder encoder = new GzipEncoder(6);
        StringBuilder expected = new StringBuilder();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 100; i++) {
            String piece = "piece " + i + ";";
            expected.append(piece);
            byte[] flushed = encoder.update(ByteBuffer.wrap(piece.getBytes(StandardCharsets.US_ASCII)), true);
            assertThat(flushed).isNotEmpty(); // a sync flush lets the client read each piece at once
            out.write(flushed);
        }
        out.write(encoder.finish());
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
        }
        byte[] whole = GzipEncoder.compress(ByteBuffer.wrap(new byte[100_000]), 9);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(whole))) {
            assertThat(in.readAllBytes()).hasSize(100_000);
        }
    }
}
