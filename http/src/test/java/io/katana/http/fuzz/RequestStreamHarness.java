package io.katana.http.fuzz;

import io.katana.http.HttpLimits;
import io.katana.http.internal.BodyBuffer;
import io.katana.http.internal.ChunkedDecoder;
import io.katana.http.internal.RequestHead;
import io.katana.http.internal.RequestHeadParser;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Feeds a byte stream to the request-head parser and the chunked decoder the way a connection does:
 * heads parsed in place from the first unconsumed byte, {@code Content-Length} bodies skipped,
 * chunked bodies decoded, request after request until an error or the end of the input, the input
 * arriving {@code step} bytes at a time. It records what came out and checks, as it goes, what must
 * hold whatever the input: no exception, an error status from the parser's own list, offsets inside
 * the head, never both chunked and a length, the decoder consuming no more than it was given.
 *
 * <p><b>Threading:</b> stateless; each call uses its own parser and decoder.
 */
final class RequestStreamHarness {
    /** The statuses the parser may refuse a head with; anything else is a bug. */
    static final Set<Integer> HEAD_STATUSES = Set.of(400, 413, 414, 417, 431, 501, 505);
    /** The statuses the chunked decoder may refuse a body with. */
    static final Set<Integer> BODY_STATUSES = Set.of(400, 413, 431);

    /** Room before the data, so absolute indexes and request-relative offsets differ. */
    private static final int PAD = 3;

    private static final int HEAD = 0;
    private static final int LENGTH_BODY = 1;
    private static final int CHUNKED_BODY = 2;

    private RequestStreamHarness() {}

    /** The events of {@code data} under {@code limits}, fed {@code step} bytes at a time. */
    static List<String> run(byte[] data, HttpLimits limits, int step) {
        byte[] padded = new byte[PAD + data.length];
        System.arraycopy(data, 0, padded, PAD, data.length);
        ByteBuffer buf = ByteBuffer.wrap(padded).asReadOnlyBuffer();
        RequestHeadParser parser = new RequestHeadParser(limits);
        ChunkedDecoder decoder = new ChunkedDecoder(limits);
        BodyBuffer body = new BodyBuffer();
        RequestHead head = new RequestHead();
        List<String> events = new ArrayList<>();
        int start = PAD; // the first byte not consumed yet
        int mode = HEAD;
        boolean headBegun = false;
        long lengthLeft = 0;
        int available = PAD;
        while (available < padded.length) {
            available = (int) Math.min(padded.length, (long) available + step);
            while (true) {
                if (mode == HEAD) {
                    if (start == available) {
                        break;
                    }
                    if (!headBegun) {
                        parser.begin(head);
                        headBegun = true;
                    }
                    int result = parser.parse(buf, start, available);
                    if (result == RequestHeadParser.NEED_MORE) {
                        break;
                    }
                    headBegun = false;
                    if (result == RequestHeadParser.ERROR) {
                        check(HEAD_STATUSES.contains(parser.errorStatus()), "head refused with " + parser.errorStatus());
                        check(parser.errorReason() != null && !parser.errorReason().isEmpty(), "no reason");
                        events.add("head error " + parser.errorStatus());
                        return events;
                    }
                    check(result == RequestHeadParser.COMPLETE, "parse returned " + result);
                    checkHead(head, available - start, limits);
                    events.add(describe(head));
                    start += head.length();
                    if (head.isChunked()) {
                        body.clear();
                        decoder.begin(body, limits.maxBodySize());
                        mode = CHUNKED_BODY;
                    } else if (head.contentLength() > 0) {
                        lengthLeft = head.contentLength();
                        mode = LENGTH_BODY;
                    }
                } else if (mode == LENGTH_BODY) {
                    int n = (int) Math.min(lengthLeft, available - start);
                    start += n;
                    lengthLeft -= n;
                    if (lengthLeft > 0) {
                        break;
                    }
                    events.add("length body done");
                    mode = HEAD;
                } else {
                    int result = decoder.decode(buf, start, available);
                    int stop = decoder.position();
                    check(stop >= start && stop <= available, "decoder stopped at " + stop + " outside " + start
                            + ".." + available);
                    check(body.length() <= limits.maxBodySize(), "decoded body over the limit");
                    if (result == ChunkedDecoder.ERROR) {
                        check(BODY_STATUSES.contains(decoder.errorStatus()), "body refused with " + decoder.errorStatus());
                        check(decoder.errorReason() != null && !decoder.errorReason().isEmpty(), "no reason");
                        events.add("body error " + decoder.errorStatus());
                        return events;
                    }
                    start = stop;
                    if (result == ChunkedDecoder.NEED_MORE) {
                        check(stop == available, "decoder wants more but left bytes unconsumed");
                        break;
                    }
                    check(result == ChunkedDecoder.DONE, "decode returned " + result);
                    events.add("chunked body " + body.length() + " #"
                            + Arrays.hashCode(Arrays.copyOf(body.array(), body.length())) + " " + decoder.trailers());
                    mode = HEAD;
                }
            }
        }
        events.add("end in " + (mode == HEAD ? (headBegun ? "an incomplete head" : "between requests")
                : mode == LENGTH_BODY ? "a length body" : "a chunked body"));
        return events;
    }

    /** Runs whole, one byte at a time and in odd pieces; the events must not depend on how the bytes arrive. */
    static void checkAllSplits(byte[] data, HttpLimits limits) {
        List<String> whole = run(data, limits, Integer.MAX_VALUE);
        for (int step : new int[] {1, 7}) {
            List<String> split = run(data, limits, step);
            check(split.equals(whole), "fed " + step + " byte(s) at a time: " + split + "; whole: " + whole);
        }
    }

    private static void checkHead(RequestHead head, int available, HttpLimits limits) {
        int length = head.length();
        check(length > 0 && length <= available, "head length " + length + " of " + available + " available");
        check(head.method() != null, "no method");
        check(head.targetStart() >= 0 && head.targetStart() < head.targetEnd() && head.targetEnd() <= length,
                "target at " + head.targetStart() + ".." + head.targetEnd() + " of " + length);
        check(head.minorVersion() == 0 || head.minorVersion() == 1, "HTTP/1." + head.minorVersion());
        check(head.fieldCount() >= 0 && head.fieldCount() <= limits.maxHeaderCount(), head.fieldCount() + " fields");
        for (int i = 0; i < head.fieldCount(); i++) {
            check(head.fieldNameStart(i) < head.fieldNameEnd(i) && head.fieldNameEnd(i) <= head.fieldValueStart(i)
                    && head.fieldValueStart(i) <= head.fieldValueEnd(i) && head.fieldValueEnd(i) <= length,
                    "field " + i + " offsets out of order or outside the head");
        }
        check(!(head.isChunked() && head.contentLength() >= 0), "both chunked and Content-Length: smuggling");
        check(head.contentLength() <= limits.maxBodySize(), "Content-Length over the body limit accepted");
        head.latin1(0, length); // every offset readable
    }

    private static String describe(RequestHead head) {
        return "head " + head.method() + " " + head.latin1(head.targetStart(), head.targetEnd()) + " 1."
                + head.minorVersion() + " fields=" + head.fieldCount() + " length=" + head.contentLength()
                + " chunked=" + head.isChunked() + " keepAlive=" + head.keepAlive();
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("invariant broken: " + what);
        }
    }
}
