package io.katana.reactor.uring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A queued file region goes out with {@code sendfile}, not read into chunks; when the socket fills, a
 * {@code POLLOUT} poll in the ring resumes it. A slow reader behind small socket buffers makes the
 * socket fill many times over a multi-MiB file, and must still get every byte, in order with the
 * buffers written before and after the region.
 */
class UringFileTransferTest {
    private static final int FILE_SIZE = 6 << 20;
    private static final int SOCKET_BUFFER = 32 << 10;

    @TempDir
    Path directory;

    @Test
    void aSlowReaderGetsEveryByteOfAFileSentWithSendfileAndResumedOnPollout() throws Exception {
        UringReactorProvider provider = new UringReactorProvider();
        assumeTrue(provider.isAvailable(), () -> "io_uring is not available here: " + provider.availability().reason());
        byte[] content = new byte[FILE_SIZE];
        new Random(42).nextBytes(content);
        Path file = Files.write(directory.resolve("large.bin"), content);
        byte[] head = "head\n".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\ntail".getBytes(StandardCharsets.US_ASCII);
        long transfersBefore = UringConnection.FILE_TRANSFERS.sum();
        long pollsBefore = UringConnection.ROOM_POLLS.sum();

        try (ReactorGroup group = provider.open(ReactorConfig.defaults().withThreads(1))) {
            ListenOptions options = ListenOptions.DEFAULT.withSendBufferSize(SOCKET_BUFFER);
            Listener listener = group.listen(new InetSocketAddress("127.0.0.1", 0), options, () -> new ConnectionHandler() {
                @Override
                public void onOpen(Connection connection) {
                    try {
                        connection.write(ByteBuffer.wrap(head));
                        connection.sendFile(file, 0, FILE_SIZE);
                        connection.write(ByteBuffer.wrap(tail));
                        connection.flush();
                        connection.close();
                    } catch (Exception e) {
                        connection.abort();
                    }
                }

                @Override
                public void onRead(Connection connection, ByteBuffer data) {
                    data.position(data.limit());
                }
            });
            byte[] received;
            try (Socket peer = new Socket()) {
                peer.setReceiveBufferSize(SOCKET_BUFFER);
                peer.connect(new InetSocketAddress("127.0.0.1", listener.localAddress().getPort()), 10_000);
                peer.setSoTimeout(30_000);
                received = readSlowly(peer.getInputStream());
            }
            byte[] expected = new byte[head.length + FILE_SIZE + tail.length];
            System.arraycopy(head, 0, expected, 0, head.length);
            System.arraycopy(content, 0, expected, head.length, FILE_SIZE);
            System.arraycopy(tail, 0, expected, head.length + FILE_SIZE, tail.length);
            assertThat(received.length).as("bytes the peer got").isEqualTo(expected.length);
            assertThat(received).as("the bytes, in order").isEqualTo(expected);
        }
        assertThat(UringConnection.FILE_TRANSFERS.sum() - transfersBefore)
                .as("sendfile rounds: the file went zero-copy, resumed after the socket filled").isGreaterThan(1);
        assertThat(UringConnection.ROOM_POLLS.sum() - pollsBefore)
                .as("POLLOUT polls asked for when the socket filled").isPositive();
    }

    /** Reads to the end in small pieces, pausing often, so the sender finds the socket full again and again. */
    private static byte[] readSlowly(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(FILE_SIZE + 64);
        byte[] piece = new byte[16 << 10];
        Thread.sleep(200); // the socket fills before the first read
        int reads = 0;
        for (int n; (n = in.read(piece)) >= 0; ) {
            out.write(piece, 0, n);
            if (++reads % 16 == 0) {
                Thread.sleep(1);
            }
        }
        return out.toByteArray();
    }
}
