package io.katana.tls.openssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.Reactors;
import io.katana.tls.TlsClient;
import io.katana.tls.TlsClientConfig;
import io.katana.tls.TlsConnection;
import io.katana.tls.TlsServer;
import io.katana.tls.TlsServerConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 100,000 TLS connections through the layer on the best backend, our openssl client against our
 * openssl server, eight at a time: each handshakes, echoes a byte and closes. Every other connection
 * comes from a client of its own, opened for it and closed after it, so half the handshakes are full
 * ones and half resume (TLS 1.3 tickets) with the shared client's session, and 50,000 client contexts
 * are made and freed. The C heap in use after the last must be where it was after the first 10,000
 * (the JIT's and the caches' growth is over by then): every {@code SSL}, BIO pair, session, context
 * and certificate reference was freed when its connection or client closed.
 */
@Tag("drill")
class NativeMemoryFlatDrillTest {
    private static final Logger LOG = LoggerFactory.getLogger(NativeMemoryFlatDrillTest.class);
    private static final int CONNECTIONS = 100_000;
    private static final int WARM_UP = 10_000;
    private static final int IN_FLIGHT = 8;

    private static TlsClientConfig clientConfig() {
        return TlsClientConfig.builder().trustedCertificates(TestIdentities.certificates("ca.pem")).build();
    }

    @Test
    void aHundredThousandHandshakesLeaveTheCHeapFlat() throws Exception {
        OpenSslTlsEngineProvider engine = new OpenSslTlsEngineProvider();
        assumeTrue(engine.isAvailable(), () -> "openssl engine unavailable: " + engine.availability().reason());
        assumeTrue(MallocInUse.supported(), "no mallinfo2 in this C library");
        try (ReactorGroup group = Reactors.open();
                TlsServer server = TlsServer.open(TlsServerConfig.builder(TestIdentities.identity("server-ec")).build(),
                        engine);
                TlsClient shared = TlsClient.open(clientConfig(), engine)) {
            Listener listener = group.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    server.wrap(() -> new ConnectionHandler() {
                        @Override
                        public void onRead(Connection connection, ByteBuffer data) {
                            connection.write(data);
                            connection.flush();
                        }
                    }));
            InetSocketAddress address = new InetSocketAddress("localhost", listener.localAddress().getPort());
            Semaphore slots = new Semaphore(IN_FLIGHT);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong done = new AtomicLong();
            AtomicLong resumed = new AtomicLong();
            long warm = 0;
            long start = System.nanoTime();
            for (int i = 0; i < CONNECTIONS && failure.get() == null; i++) {
                if (i == WARM_UP) {
                    assertThat(slots.tryAcquire(IN_FLIGHT, 60, TimeUnit.SECONDS)).isTrue();
                    slots.release(IN_FLIGHT);
                    warm = MallocInUse.settledBytes();
                }
                assertThat(slots.tryAcquire(60, TimeUnit.SECONDS)).as("a connection finished within 60 s").isTrue();
                CompletableFuture<Void> closed = new CompletableFuture<>();
                boolean own = i % 2 == 1;
                TlsClient client = own ? TlsClient.open(clientConfig(), engine) : shared;
                client.connect(group, address, ConnectOptions.DEFAULT, new ConnectionHandler() {
                    @Override
                    public void onOpen(Connection connection) {
                        connection.writeAndFlush(ByteBuffer.wrap(new byte[] {42}));
                    }

                    @Override
                    public void onRead(Connection connection, ByteBuffer data) {
                        data.position(data.limit());
                        connection.close();
                    }

                    @Override
                    public void onClose(Connection connection, Throwable cause) {
                        closed.complete(null);
                    }
                }).whenComplete((TlsConnection connection, Throwable error) -> {
                    if (connection != null && connection.resumed()) {
                        resumed.incrementAndGet();
                    }
                    if (error != null) {
                        failure.compareAndSet(null, error);
                        slots.release();
                    }
                });
                closed.whenComplete((ok, error) -> {
                    if (own) {
                        client.close();
                    }
                    done.incrementAndGet();
                    slots.release();
                });
            }
            assertThat(slots.tryAcquire(IN_FLIGHT, 60, TimeUnit.SECONDS)).isTrue();
            assertThat(failure.get()).isNull();
            Thread.sleep(Duration.ofMillis(500)); // the server sides close after their clients
            long end = MallocInUse.settledBytes();
            long grown = end - warm;
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info("{} TLS connections ({} resumed) in {} s; C heap in use {} bytes after the first {}, {} after the last: {} more",
                    done.get(), resumed.get(), String.format("%.1f", seconds), warm, WARM_UP, end, grown);
            assertThat(done.get()).isEqualTo(CONNECTIONS);
            assertThat(resumed.get()).as("resumed handshakes: at most the shared client's, most of them")
                    .isBetween(CONNECTIONS / 4L, CONNECTIONS / 2L);
            assertThat(grown).as("C heap growth over %d connections after the first %d, bytes", CONNECTIONS - WARM_UP,
                    WARM_UP).isLessThan(16L << 20);
        }
    }
}
