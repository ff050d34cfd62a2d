package io.katana.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SwarTest {

    @Test
    void agreesWithTheByteTableForEveryByteInEveryPosition() {
        for (int position = 0; position < 8; position++) {
            for (int b = 0; b < 256; b++) {
                byte[] word = "abcdefgh".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                word[position] = (byte) b;
                boolean expected = b >= 0x20 && b != 0x7f;
                assertThat(Swar.isPlainText(ByteBuffer.wrap(word).getLong())).as("byte %02x at %d", b, position).isEqualTo(expected);
            }
        }
    }

    @Test
    void agreesWithTheByteTableOnRandomWords() {
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            long word = random.nextLong();
            if (i % 2 == 0) {
                word |= 0x4040404040404040L; // mostly printable, so both answers occur
            }
            boolean expected = true;
            for (int shift = 0; shift < 64; shift += 8) {
                int b = (int) (word >>> shift) & 0xff;
                expected &= b >= 0x20 && b != 0x7f;
            }
            assertThat(Swar.isPlainText(word)).as("%016x", word).isEqualTo(expected);
        }
    }
}
