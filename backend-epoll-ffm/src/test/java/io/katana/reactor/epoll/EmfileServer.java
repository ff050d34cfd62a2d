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
 * {@code PORT n}, then serves until the parent ends the process.
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
        System.out.println("PORT " + listener.localAddress().getPort());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // the reactor threads serve; the parent destroys this process
    }
}
