package io.katana.http.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Collects a request body that did not arrive with its head: a {@code Content-Length} body split over
 * reads, or any chunked body (decoded as it comes). Also judges whether the body arrives fast enough:
 * it must not stall for the idle timeout, and, once its grace (the head timeout) is over, must average
 * the minimum rate.
 *
 * <p>A body that arrived whole with its head is never collected: the request reads it where it lies
 * in the reactor's buffer. The collecting array is kept for the next request while small, and handed
 * to the request when the request must outlive the read callback.
 *
 * <p><b>Threading:</b> confined to the connection's reactor thread.
 */
final class BodyIntake {

    /** How a body being collected is framed. */
    enum Framing {
        /** No body is being collected. */
        NONE,
        /** {@code Content-Length} bytes, of which {@link #remaining} are still to come. */
        LENGTH,
        /** Chunked, decoded by the {@link ChunkedDecoder} as it comes. */
        CHUNKED
    }

    /** What {@link #feed} made of the bytes it was given. */
    enum Progress {
        /** The body is not complete yet. */
        MORE,
        /** The body is complete; dispatch the request. */
        COMPLETE,
        /** The chunked framing is broken; see {@link #errorStatus()} and {@link #errorReason()}. */
        ERROR
    }

    /** How often the rate of a request body is looked at once its grace is over. */
    private static final long RATE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ServerConfig config;
    private final BodyBuffer buffer = new BodyBuffer();
    /** Made on the first chunked request: most connections never see one, and an idle connection should be small. */
    private ChunkedDecoder chunkedDecoder;

    private Framing framing = Framing.NONE;
    /** Whether the body being (or last) collected is chunked, so its trailers come from the decoder. */
    private boolean chunked;
    private long remaining;
    /** When the body being collected began (its head complete), and how many of its bytes have come. */
    private long startNanos;
    private long bytesReceived;
    private long idleDeadline;
    /** The request being answered reads its body from {@link #buffer}: keep it until the response is done. */
    private boolean lentToRequest;

    BodyIntake(ServerConfig config) {
        this.config = config;
    }

    /** Whether a body is being collected. */
    boolean collecting() {
        return framing != Framing.NONE;
    }

    /**
     * Starts decoding a chunked body whose first bytes lie in {@code buf} from {@code start}.
     *
     * @return {@link ChunkedDecoder#COMPLETE}, {@link ChunkedDecoder#NEED_MORE} or {@link ChunkedDecoder#ERROR}
     */
    int startChunked(ByteBuffer buf, int start, int limit, long maxBody) {
        buffer.clear();
        chunked = true;
        decoder().begin(buffer, maxBody);
        return chunkedDecoder.decode(buf, start, limit);
    }

    /** The connection's chunked decoder, made on first use; a streamed body borrows it too. */
    ChunkedDecoder decoder() {
        if (chunkedDecoder == null) {
            chunkedDecoder = new ChunkedDecoder(config.limits());
        }
        return chunkedDecoder;
    }

    /** Starts collecting a {@code length}-byte body whose first bytes lie in {@code buf} from {@code start} to {@code limit}. */
    void startLength(long length, ByteBuffer buf, int start, int limit) {
        buffer.clear();
        chunked = false;
        buffer.expect(length);
        buffer.append(buf, start, limit - start);
        remaining = length - (limit - start);
    }

    /** The body's head is complete but the body is not: from now on {@link #feed} gets what arrives. */
    void await(Framing how, long receivedSoFar, long now) {
        framing = how;
        startNanos = now;
        bytesReceived = receivedSoFar;
    }

    /** Takes body bytes from {@code buf}'s position, moving it past what belongs to the body. */
    Progress feed(ByteBuffer buf) {
        int start = buf.position();
        int limit = buf.limit();
        bytesReceived += limit - start;
        if (framing == Framing.LENGTH) {
            int n = (int) Math.min(remaining, limit - start);
            buffer.append(buf, start, n);
            buf.position(start + n);
            remaining -= n;
            if (remaining > 0) {
                return Progress.MORE;
            }
            framing = Framing.NONE;
            return Progress.COMPLETE;
        }
        int decoded = chunkedDecoder.decode(buf, start, limit);
        if (decoded == ChunkedDecoder.ERROR) {
            buf.position(limit);
            framing = Framing.NONE;
            return Progress.ERROR;
        }
        buf.position(chunkedDecoder.position());
        if (decoded == ChunkedDecoder.NEED_MORE) {
            return Progress.MORE;
        }
        framing = Framing.NONE;
        return Progress.COMPLETE;
    }

    /** Where the chunked decoder stopped: the first byte after the body. */
    int chunkedEnd() {
        return chunkedDecoder.position();
    }

    /** The trailer field lines of the chunked body just completed; empty for a length body. */
    List<String> trailers() {
        return chunked ? chunkedDecoder.trailers() : List.of();
    }

    int errorStatus() {
        return chunkedDecoder.errorStatus();
    }

    String errorReason() {
        return chunkedDecoder.errorReason();
    }

    /** Starts {@code request} with the collected body; the buffer stays lent to it until {@link #responseDone()}. */
    void lendTo(ServerRequest request, RequestHead head) {
        request.begin(head, buffer.array(), buffer.length(), trailers());
        lentToRequest = true;
    }

    /** The request outlives the read callback: it keeps the array, and the next body gets a new one. */
    void giveToRequest() {
        if (lentToRequest) {
            lentToRequest = false;
            buffer.take();
        }
    }

    /** The response is complete: the array is free for the next body. */
    void responseDone() {
        if (lentToRequest) {
            lentToRequest = false;
            buffer.clear();
        }
    }

    /** The request is refused or the connection closes: forget the body. */
    void abandon() {
        framing = Framing.NONE;
        lentToRequest = false;
        buffer.clear();
    }

    /** Bytes just arrived (or none did for a while): the body may idle for the keep-alive period from {@code now}. */
    void activity(long now) {
        idleDeadline = now + config.keepAliveNanos();
    }

    /** Whether the body has idled past the keep-alive period. */
    boolean stalled(long now) {
        return now - idleDeadline >= 0;
    }

    /**
     * When to look at the body being collected next: when it will have idled too long, or, with a
     * minimum rate, once its grace (the head timeout) is over and then every second.
     */
    long nextCheck(long now) {
        if (config.minBodyRate() == 0) {
            return idleDeadline;
        }
        long graceEnd = startNanos + config.headerReadNanos();
        long rateCheck = now - graceEnd < 0 ? graceEnd : now + RATE_CHECK_NANOS;
        return rateCheck - idleDeadline < 0 ? rateCheck : idleDeadline;
    }

    /**
     * Whether the body has averaged less than the minimum rate, its grace over.
     *
     * @param heldBack whether the server itself has paused reading (then the client is not to blame)
     */
    boolean tooSlow(long now, boolean heldBack) {
        long elapsed = now - startNanos;
        if (config.minBodyRate() == 0 || heldBack || elapsed < config.headerReadNanos()) {
            return false;
        }
        return bytesReceived < config.minBodyRate() * (elapsed / 1e9);
    }
}
