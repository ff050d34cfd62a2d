package io.katana.http.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.katana.http.HttpLimits;

/**
 * Coverage-guided fuzzing of the request-head parser and the chunked decoder together, on byte
 * streams of pipelined requests ({@link RequestStreamHarness}). The seeds are the shared HTTP cases
 * (resources {@code RequestParserFuzzTestInputs/requestStreams}, written by {@code
 * scripts/fuzz-seeds.py}); in {@code mvn verify} Jazzer runs just them as regression cases, and
 * {@code scripts/fuzz.sh} fuzzes (JAZZER_FUZZ=1). Crashes found land in the inputs folder and so
 * become regression cases.
 */
class RequestParserFuzzTest {
    /** Limits at their minimum, so that every limit's branch is within a small input's reach. */
    private static final HttpLimits SMALL = new HttpLimits(64, 128, 4, 256);

    @FuzzTest(maxDuration = "5m")
    void requestStreams(byte[] data) {
        RequestStreamHarness.checkAllSplits(data, HttpLimits.DEFAULT);
        RequestStreamHarness.checkAllSplits(data, SMALL);
    }
}
