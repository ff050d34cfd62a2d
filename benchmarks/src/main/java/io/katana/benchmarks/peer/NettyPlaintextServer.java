package io.katana.benchmarks.peer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;

/**
 * The Netty peer of the load harness: an HTTP/1.1 plaintext server on Netty's native epoll or its NIO
 * transport, with one event loop thread that accepts and serves, like {@code katana serve --threads 1}.
 *
 * <pre>
 * java --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
 *     -cp katana-benchmarks.jar io.katana.benchmarks.peer.NettyPlaintextServer --transport epoll --port 18081
 * </pre>
 *
 * <p>It runs until the process is stopped (SIGTERM shuts it down gracefully).
 */
public final class NettyPlaintextServer {
    private static final String USAGE =
            "usage: NettyPlaintextServer --transport epoll|nio [--host 127.0.0.1] [--port 8080] [--threads 1]";

    private NettyPlaintextServer() {}

    public static void main(String[] args) throws InterruptedException {
        String transport = null;
        String host = "127.0.0.1";
        int port = 8080;
        int threads = 1;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                fail(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--transport" -> transport = value;
                case "--host" -> host = value;
                case "--port" -> port = parse(name, value, 0, 65535);
                case "--threads" -> threads = parse(name, value, 1, 1024);
                default -> fail("unknown option " + name);
            }
        }
        if (transport == null) {
            fail("--transport is required");
        }
        IoHandlerFactory handlers;
        Class<? extends ServerChannel> channelType;
        switch (transport) {
            case "epoll" -> {
                if (!Epoll.isAvailable()) {
                    System.err.println("netty: native epoll unavailable: " + Epoll.unavailabilityCause());
                    System.exit(1);
                }
                handlers = EpollIoHandler.newFactory();
                channelType = EpollServerSocketChannel.class;
            }
            case "nio" -> {
                handlers = NioIoHandler.newFactory();
                channelType = NioServerSocketChannel.class;
            }
            default -> throw fail("--transport must be epoll or nio, got '" + transport + "'");
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, handlers);
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new HttpServerCodec(), new PlaintextHandler());
                        }
                    })
                    .bind(new InetSocketAddress(host, port))
                    .sync()
                    .channel();
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                server.close().syncUninterruptibly();
                group.shutdownGracefully().syncUninterruptibly();
            }));
            System.out.printf("netty: serving http://%s:%d on %s with %d thread%s%n", host,
                    ((InetSocketAddress) server.localAddress()).getPort(), transport, threads, threads == 1 ? "" : "s");
            System.out.flush();
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    private static int parse(String name, String value, int min, int max) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw fail(name + " must be between " + min + " and " + max + ", got " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw fail(name + " must be a whole number, got '" + value + "'");
        }
    }

    private static IllegalArgumentException fail(String message) {
        System.err.println("netty: " + message);
        System.err.println(USAGE);
        System.exit(2);
        return new IllegalArgumentException(message);
    }
}
