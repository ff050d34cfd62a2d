package io.katana.reactor.epoll;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Child-JVM entry point for {@link EmfileTest}: an echo server on one epoll reactor that prints
 * {@code PORT n}, then serves until the parent ends the process. Each line the parent writes to its
 * standard input is answered with {@code ITERATIONS n}, the loop iterations so far: read from the
 * reactor's own counter, which the out-of-descriptors path cannot disturb (no class loading, no
 * descriptor).
 */
final class EmfileServer {
    private EmfileServer() {}

    public static void main(String[] args) throws Exception {
        ReactorGroup group = new EpollReactorProvider().open(ReactorConfig.defaults().withThreads(1));
        Listener listener = group.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () ->
                new ConnectionHandler() {
                    @Override
                    public void onRead(Connection connection, ByteBuffer data) {
                        connection.writeAndFlush(data);
                    }
                });
        // Out of descriptors the JVM cannot open a class file: load what the answers need first.
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
        System.err.println("before the flood: " + iterationsLine(group));
        System.out.println("PORT " + listener.localAddress().getPort());
        System.out.flush();
        // The reactor threads serve; this thread answers the parent until it ends the process.
        while (in.readLine() != null) {
            System.out.println(iterationsLine(group));
            System.out.flush();
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    private static String iterationsLine(ReactorGroup group) {
        return "ITERATIONS " + group.stats().loopIterations();
    }
}
