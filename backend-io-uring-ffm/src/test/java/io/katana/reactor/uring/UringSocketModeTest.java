package io.katana.reactor.uring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Sockets the ring sends and receives on are blocking, accepted and connected alike. On a
 * non-blocking socket a send the kernel hands to an io-wq worker (after a partial send whose retries
 * found the socket still full: a slow reader, a busy machine) completes with {@code EAGAIN} instead
 * of waiting, and the connection failed with it while output was still queued: the peer saw the
 * stream end early. This reads each socket's flags from {@code /proc/self/fdinfo}.
 */
class UringSocketModeTest {
    private static final int O_NONBLOCK = 04000;

    @Test
    void acceptedAndConnectedSocketsAreBlocking() throws Exception {
        UringReactorProvider provider = new UringReactorProvider();
        assumeTrue(provider.isAvailable(), () -> "io_uring is not available here: " + provider.availability().reason());
        CompletableFuture<Connection> accepted = new CompletableFuture<>();
        try (ReactorGroup group = provider.open(ReactorConfig.defaults().withThreads(1))) {
            Listener listener = group.listen(new InetSocketAddress("127.0.0.1", 0), () -> new Discarding() {
                @Override
                public void onOpen(Connection connection) {
                    accepted.complete(connection);
                }
            });
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", listener.localAddress().getPort());
            try (Socket peer = new Socket(address.getAddress(), address.getPort())) {
                assertThat(statusFlags(accepted.get(10, TimeUnit.SECONDS)) & O_NONBLOCK)
                        .as("O_NONBLOCK of an accepted socket").isZero();
            }
            Connection outgoing = group.connect(address, new Discarding()).get(10, TimeUnit.SECONDS);
            try {
                assertThat(statusFlags(outgoing) & O_NONBLOCK).as("O_NONBLOCK of a connected socket").isZero();
            } finally {
                outgoing.close();
            }
        }
    }

    /** Reads and drops whatever comes. */
    private static class Discarding implements ConnectionHandler {
        @Override
        public void onRead(Connection connection, ByteBuffer data) {
            data.position(data.limit());
        }
    }

    private static int statusFlags(Connection connection) throws Exception {
        int fd = ((UringConnection) connection).fd();
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) {
                return Integer.parseInt(line.substring("flags:".length()).trim(), 8);
            }
        }
        throw new AssertionError("no flags line in /proc/self/fdinfo/" + fd);
    }
}
