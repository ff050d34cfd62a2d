package io.katana.reactor.nio;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first bytes of a file region ride in the head's gathering write ({@link NioConnection#FILE_LEAD});
 * a head that meets a full socket must not cost a read of them per writability event.
 */
class FileLeadTest {
    private static final int SMALL_BUFFER = 64 * 1024;

    @Test
    void aHeadLargerThanTheSocketReadsTheFileLeadAtMostOnce(@TempDir Path directory) throws Exception {
        byte[] head = randomBytes(1, 1024 * 1024); // many times the send buffer: written over many wake-ups
        byte[] body = randomBytes(2, 256 * 1024);
        Path file = Files.write(directory.resolve("body.bin"), body);
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        ReactorGroup group = new NioReactorProvider().open(ReactorConfig.defaults().withThreads(1));
        try (Listener listener = group.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ListenOptions.DEFAULT.withSendBufferSize(SMALL_BUFFER), () -> new ConnectionHandler() {
                    @Override
                    public void onOpen(Connection connection) {
                        connection.write(ByteBuffer.wrap(head));
                        try {
                            connection.sendFile(file, 0, body.length);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        connection.flush();
                        opened.complete(connection);
                    }

                    @Override
                    public void onRead(Connection connection, ByteBuffer data) {
                        data.position(data.limit());
                    }
                });
                Socket client = new Socket()) {
            client.setReceiveBufferSize(SMALL_BUFFER);
            client.connect(listener.localAddress());
            Connection connection = opened.get(10, TimeUnit.SECONDS);
            byte[] received = readSlowly(client.getInputStream(), head.length + body.length);

            assertThat(Arrays.equals(received, 0, head.length, head, 0, head.length)).as("the head").isTrue();
            assertThat(Arrays.equals(received, head.length, received.length, body, 0, body.length))
                    .as("the file after it").isTrue();
            NioReactor reactor = (NioReactor) connection.reactor();
            assertThat(onLoop(reactor, reactor::fileLeadReads)).as("reads of the file's lead").isEqualTo(1);
        } finally {
            group.shutdownGracefully(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
        }
    }

    /** Reads in small steps with pauses, so that the server finds its socket full again and again. */
    private static byte[] readSlowly(InputStream in, int total) throws IOException, InterruptedException {
        byte[] received = new byte[total];
        int offset = 0;
        while (offset < total) {
            int n = in.read(received, offset, Math.min(16 * 1024, total - offset));
            assertThat(n).as("bytes read at offset " + offset).isPositive();
            offset += n;
            Thread.sleep(1);
        }
        return received;
    }

    private static byte[] randomBytes(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static <T> T onLoop(NioReactor reactor, java.util.function.Supplier<T> query) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        reactor.execute(() -> result.complete(query.get()));
        return result.get(10, TimeUnit.SECONDS);
    }
}
