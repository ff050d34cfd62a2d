package io.katana.reactor.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kernel hands a closed connection's fd number to the next socket; the old connection's token
 * must then find nothing, and the new one only itself.
 */
@LinuxOnly
class FdReuseTest {

    @Test
    void aReusedFdNumberNeverReachesTheClosedConnectionsState() throws Exception {
        BlockingQueue<EpollConnection> opened = new LinkedBlockingQueue<>();
        BlockingQueue<String> reads = new LinkedBlockingQueue<>();
        ReactorGroup group = new EpollReactorProvider().open(ReactorConfig.defaults().withThreads(1));
        try (Listener listener = group.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () ->
                new ConnectionHandler() {
                    @Override
                    public void onOpen(Connection connection) {
                        opened.add((EpollConnection) connection);
                    }

                    @Override
                    public void onRead(Connection connection, ByteBuffer data) {
                        byte[] bytes = new byte[data.remaining()];
                        data.get(bytes);
                        reads.add(connection.id() + ":" + new String(bytes));
                        connection.writeAndFlush(ByteBuffer.wrap(bytes));
                    }
                })) {
            EpollConnection first;
            long firstToken;
            try (Socket a = new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort())) {
                first = opened.poll(10, TimeUnit.SECONDS);
                assertThat(first).isNotNull();
                firstToken = onLoop(first, first::token);
                CompletableFuture<Void> closed = new CompletableFuture<>();
                first.reactor().execute(() -> {
                    first.close();
                    closed.complete(null);
                });
                closed.get(10, TimeUnit.SECONDS);
                assertThat(a.getInputStream().read()).as("server closed its side").isEqualTo(-1);
            }
            EpollReactor reactor = (EpollReactor) first.reactor();
            assertThat(onLoop(first, () -> reactor.slots().get(firstToken))).isNull();

            try (Socket b = new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort())) {
                EpollConnection second = opened.poll(10, TimeUnit.SECONDS);
                assertThat(second).isNotNull();
                assertThat(second.fd()).as("the kernel reused the fd number").isEqualTo(first.fd());
                long secondToken = onLoop(second, second::token);
                assertThat(secondToken).isNotEqualTo(firstToken);
                assertThat(onLoop(second, () -> reactor.slots().get(firstToken))).as("stale token").isNull();
                assertThat(onLoop(second, () -> reactor.slots().get(secondToken))).isSameAs(second);

                b.getOutputStream().write("hi".getBytes());
                InputStream in = b.getInputStream();
                assertThat(new String(in.readNBytes(2))).isEqualTo("hi");
                assertThat(reads.poll(10, TimeUnit.SECONDS)).isEqualTo(second.id() + ":hi");
                assertThat(first.isOpen()).isFalse();
            }
        } finally {
            group.shutdownGracefully(java.time.Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
        }
    }

    private static <T> T onLoop(EpollConnection connection, java.util.function.Supplier<T> query) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        connection.reactor().execute(() -> result.complete(query.get()));
        return result.get(10, TimeUnit.SECONDS);
    }
}
