package io.katana.benchmarks.peer;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Answers {@code GET /plaintext} with {@code Hello, World!}, {@code GET /files/NAME} with a file
 * given at start (from memory), and anything else with 404, building a
 * response with {@code Date}, {@code Server}, {@code Content-Type} and {@code Content-Length} for each
 * request. Responses are written as requests are decoded and flushed once per read, so a pipelined
 * batch leaves in one write, as Netty's own plaintext examples do. A request that does not ask for
 * keep-alive (HTTP/1.0 without it, or {@code Connection: close}) gets its answer, then the connection
 * closes.
 *
 * <p><b>Threading:</b> one instance per channel, on the channel's event loop.
 */
final class PlaintextHandler extends ChannelInboundHandlerAdapter {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final AsciiString PLAINTEXT_PATH = AsciiString.cached("/plaintext");
    private static final AsciiString SERVER = AsciiString.cached("netty");
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString OCTET_STREAM = AsciiString.cached("application/octet-stream");
    private static final String FILES = "/files/";

    /** One cache per event loop thread, so that it is never shared. */
    private static final FastThreadLocal<HttpDateCache> DATES = new FastThreadLocal<>() {
        @Override
        protected HttpDateCache initialValue() {
            return new HttpDateCache();
        }
    };

    private final Map<String, byte[]> files;

    /** @param files what {@code /files/NAME} answers, by NAME */
    PlaintextHandler(Map<String, byte[]> files) {
        this.files = files;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                respond(ctx, request);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void respond(ChannelHandlerContext ctx, HttpRequest request) {
        byte[] body = PLAINTEXT_PATH.contentEquals(request.uri()) ? HELLO
                : request.uri().startsWith(FILES) ? files.get(request.uri().substring(FILES.length())) : null;
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                body != null ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
                body != null ? Unpooled.wrappedBuffer(body) : Unpooled.EMPTY_BUFFER);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.SERVER, SERVER);
        headers.set(HttpHeaderNames.DATE, DATES.get().now());
        headers.set(HttpHeaderNames.CONTENT_TYPE, body == HELLO ? TEXT_PLAIN : OCTET_STREAM);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body != null ? body.length : 0);
        if (HttpUtil.isKeepAlive(request)) {
            ctx.write(response, ctx.voidPromise());
        } else {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A peer resetting its connection under load is routine here; the channel just goes.
        ctx.close();
    }
}
