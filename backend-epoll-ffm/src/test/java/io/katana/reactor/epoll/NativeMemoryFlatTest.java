package io.katana.reactor.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Opens and closes many connections (100,000 by default; {@code -Dkatana.epoll.flatConnections=N}
 * changes it) and checks that the native memory the backend holds does not grow with them: its own
 * arenas (counted by {@link NativeMemoryLedger}), the JVM's direct buffers (the SPI pool's chunks)
 * and the process's open file descriptors.
 */
@LinuxOnly
class NativeMemoryFlatTest {
    private static final int CONNECTIONS = Integer.getInteger("katana.epoll.flatConnections", 100_000);
    private static final int WARM_UP = Math.min(2_000, CONNECTIONS);
    /** Slack for direct memory: the pool keeps at most maxPooledChunks chunks, the read buffer is fixed. */
    private static final long DIRECT_SLACK = 16L * 1024 * 1024;

    @Test
    void nativeMemoryAndDescriptorsStayFlatAcrossManyConnections() throws Exception {
        ReactorGroup group = new EpollReactorProvider().open(ReactorConfig.defaults().withThreads(1));
        try (Listener listener = group.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                EchoThenClose::new)) {
            InetSocketAddress address = listener.localAddress();
            cycle(address, WARM_UP);
            long bytesBefore = NativeMemoryLedger.liveBytes();
            long arenasBefore = NativeMemoryLedger.liveArenas();
            long directBefore = directMemoryUsed();
            long fdsBefore = openDescriptors();

            long start = System.nanoTime();
            cycle(address, CONNECTIONS);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

            assertThat(NativeMemoryLedger.liveBytes()).as("bytes in the backend's arenas").isEqualTo(bytesBefore);
            assertThat(NativeMemoryLedger.liveArenas()).as("the backend's open arenas").isEqualTo(arenasBefore);
            assertThat(directMemoryUsed()).as("direct buffer memory after %d connections in %d s", CONNECTIONS, seconds)
                    .isLessThanOrEqualTo(directBefore + DIRECT_SLACK);
            assertThat(awaitDescriptors(fdsBefore)).as("open file descriptors").isLessThanOrEqualTo(fdsBefore + 2);
        } finally {
            group.shutdownGracefully(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
        }
        assertThat(NativeMemoryLedger.liveArenas()).as("arenas after the group ended").isZero();
        assertThat(NativeMemoryLedger.liveBytes()).as("bytes after the group ended").isZero();
    }

    /** Each connection: send 8 bytes, read them back, see the server close. */
    private static void cycle(InetSocketAddress address, int count) throws IOException {
        byte[] message = "flatline".getBytes();
        for (int i = 0; i < count; i++) {
            try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(message);
                InputStream in = socket.getInputStream();
                assertThat(in.readNBytes(8)).isEqualTo(message);
                assertThat(in.read()).isEqualTo(-1);
            }
        }
    }

    private static long directMemoryUsed() {
        System.gc();
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed)
                .sum();
    }

    private static long awaitDescriptors(long target) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long now = openDescriptors();
        while (now > target + 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            now = openDescriptors();
        }
        return now;
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static final class EchoThenClose implements ConnectionHandler {
        private int received;

        @Override
        public void onRead(Connection connection, ByteBuffer data) {
            received += data.remaining();
            connection.write(data);
            if (received >= 8) {
                connection.close(); // flushes, then closes: the server side takes the TIME_WAIT
            } else {
                connection.flush();
            }
        }
    }
}
