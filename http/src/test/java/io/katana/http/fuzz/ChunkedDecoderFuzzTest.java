package io.katana.http.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.katana.http.HttpLimits;
import io.katana.http.internal.BodyBuffer;
import io.katana.http.internal.ChunkedDecoder;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of the chunked decoder alone, given the bytes after a head: whole, one byte
 * at a time and in pieces of five must give the same outcome, body and trailers, and the only
 * failures allowed are the decoder's own refusals. Seeds: the chunked bodies of the shared HTTP
 * cases ({@code ChunkedDecoderFuzzTestInputs/chunkedBodies}).
 */
class ChunkedDecoderFuzzTest {
    private static final HttpLimits SMALL = new HttpLimits(64, 64, 2, 64);

    /** What decoding came to. */
    private record Outcome(int result, int status, int bodyLength, int bodyHash, List<String> trailers, int consumed) {}

    @FuzzTest(maxDuration = "5m")
    void chunkedBodies(byte[] data) {
        for (HttpLimits limits : new HttpLimits[] {HttpLimits.DEFAULT, SMALL}) {
            Outcome whole = decode(data, limits, Integer.MAX_VALUE);
            for (int step : new int[] {1, 5}) {
                Outcome split = decode(data, limits, step);
                if (!split.equals(whole)) {
                    throw new IllegalStateException("fed " + step + " byte(s) at a time: " + split + "; whole: " + whole);
                }
            }
        }
    }

    private static Outcome decode(byte[] data, HttpLimits limits, int step) {
        ChunkedDecoder decoder = new ChunkedDecoder(limits);
        BodyBuffer body = new BodyBuffer();
        decoder.begin(body, limits.maxBodySize());
        ByteBuffer buf = ByteBuffer.wrap(data).asReadOnlyBuffer();
        int from = 0;
        int result = ChunkedDecoder.NEED_MORE;
        while (from < data.length && result == ChunkedDecoder.NEED_MORE) {
            int limit = (int) Math.min(data.length, (long) from + step);
            result = decoder.decode(buf, from, limit);
            int stop = decoder.position();
            if (stop < from || stop > limit || (result == ChunkedDecoder.NEED_MORE && stop != limit)) {
                throw new IllegalStateException("decoder stopped at " + stop + " given " + from + ".." + limit);
            }
            from = stop;
        }
        if (body.length() > limits.maxBodySize()) {
            throw new IllegalStateException("body of " + body.length() + " bytes over the limit");
        }
        int status = 0;
        if (result == ChunkedDecoder.ERROR) {
            status = decoder.errorStatus();
            if (!RequestStreamHarness.BODY_STATUSES.contains(status) || decoder.errorReason() == null) {
                throw new IllegalStateException("refused with status " + status + ": " + decoder.errorReason());
            }
        }
        return new Outcome(result, status, body.length(), Arrays.hashCode(Arrays.copyOf(body.array(), body.length())),
                result == ChunkedDecoder.DONE ? decoder.trailers() : List.of(),
                result == ChunkedDecoder.DONE ? from : -1);
    }
}
