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
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Netty peer of the load harness: an HTTP/1.1 plaintext server on Netty's native epoll, its native
 * io_uring or its NIO transport, with one event loop thread that accepts and serves, like {@code katana serve --threads 1}.
 * With {@code --tls-cert} and {@code --tls-key} it serves HTTPS through Netty's {@code SslHandler},
 * with the JDK's {@code SSLEngine} ({@code --tls-provider jdk}) or BoringSSL from {@code
 * netty-tcnative-boringssl-static} ({@code --tls-provider openssl}); {@code --files DIR} also answers
 * {@code /files/NAME} with the files of DIR, read into memory at start.
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
            "usage: NettyPlaintextServer --transport epoll|io_uring|nio [--host 127.0.0.1] [--port 8080] [--threads 1]"
                    + " [--tls-cert CHAIN.pem --tls-key KEY.pem [--tls-provider jdk|openssl]] [--files DIR]";

    private static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

    private NettyPlaintextServer() {}

    public static void main(String[] args) throws InterruptedException, IOException {
        String transport = null;
        String tlsCert = null;
        String tlsKey = null;
        String tlsProvider = "jdk";
        String files = null;
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
                case "--tls-cert" -> tlsCert = value;
                case "--tls-key" -> tlsKey = value;
                case "--tls-provider" -> tlsProvider = value;
                case "--files" -> files = value;
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
            case "io_uring" -> {
                if (!IoUring.isAvailable()) {
                    System.err.println("netty: native io_uring unavailable: " + IoUring.unavailabilityCause());
                    System.exit(1);
                }
                handlers = IoUringIoHandler.newFactory();
                channelType = IoUringServerSocketChannel.class;
            }
            case "nio" -> {
                handlers = NioIoHandler.newFactory();
                channelType = NioServerSocketChannel.class;
            }
            default -> throw fail("--transport must be epoll, io_uring or nio, got '" + transport + "'");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            fail("--tls-cert and --tls-key go together");
        }
        SslContext tls = tlsCert == null ? null : tls(tlsCert, tlsKey, tlsProvider);
        Map<String, byte[]> served = files == null ? Map.of() : FileContents.read(Path.of(files));
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
                            if (tls != null) {
                                channel.pipeline().addLast(tls.newHandler(channel.alloc()));
                            }
                            channel.pipeline().addLast(new HttpServerCodec(), new PlaintextHandler(served));
                        }
                    })
                    .bind(new InetSocketAddress(host, port))
                    .sync()
                    .channel();
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                server.close().syncUninterruptibly();
                group.shutdownGracefully().syncUninterruptibly();
            }));
            System.out.printf("netty: serving %s://%s:%d on %s with %d thread%s%s%n", tls == null ? "http" : "https", host,
                    ((InetSocketAddress) server.localAddress()).getPort(), transport, threads, threads == 1 ? "" : "s",
                    tls == null ? "" : " (TLS provider " + tlsProvider + ")");
            System.out.flush();
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    /**
     * Katana's defaults, so that the race compares like with like: TLS 1.3 and 1.2, AEAD ECDHE suites,
     * AES-256-GCM first (Netty's own list puts AES-128 first); Netty's session cache and tickets.
     */
    private static SslContext tls(String cert, String key, String provider) throws IOException {
        SslProvider sslProvider = switch (provider) {
            case "jdk" -> SslProvider.JDK;
            case "openssl" -> SslProvider.OPENSSL;
            default -> throw fail("--tls-provider must be jdk or openssl, got '" + provider + "'");
        };
        if (sslProvider == SslProvider.OPENSSL && !io.netty.handler.ssl.OpenSsl.isAvailable()) {
            System.err.println("netty: OpenSSL (netty-tcnative) unavailable: " + io.netty.handler.ssl.OpenSsl.unavailabilityCause());
            System.exit(1);
        }
        return SslContextBuilder.forServer(new File(cert), new File(key)).sslProvider(sslProvider)
                .protocols("TLSv1.3", "TLSv1.2").ciphers(CIPHER_SUITES).build();
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
