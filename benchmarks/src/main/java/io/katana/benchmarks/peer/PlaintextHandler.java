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

/**
 * Answers {@code GET /plaintext} with {@code Hello, World!} and anything else with 404, building a
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

    /** One cache per event loop thread, so that it is never shared. */
    private static final FastThreadLocal<HttpDateCache> DATES = new FastThreadLocal<>() {
        @Override
        protected HttpDateCache initialValue() {
            return new HttpDateCache();
        }
    };

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
        boolean found = PLAINTEXT_PATH.contentEquals(request.uri());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                found ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
                found ? Unpooled.wrappedBuffer(HELLO) : Unpooled.EMPTY_BUFFER);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.SERVER, SERVER);
        headers.set(HttpHeaderNames.DATE, DATES.get().now());
        headers.set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, found ? HELLO.length : 0);
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
