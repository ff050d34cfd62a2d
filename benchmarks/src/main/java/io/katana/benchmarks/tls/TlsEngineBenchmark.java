package io.katana.benchmarks.tls;

import io.katana.tls.KeyMaterial;
import io.katana.tls.SelfSignedCertificate;
import io.katana.tls.TlsClientConfig;
import io.katana.tls.TlsEngines;
import io.katana.tls.TlsServerConfig;
import io.katana.tls.spi.ReleasableEngine;
import io.katana.tls.spi.TlsContext;
import io.katana.tls.spi.TlsEngineProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The TLS engines alone, both ends on one thread in memory (no sockets, no reactor), through the SPI
 * the TLS layer uses: TLS 1.3, the configured default suites (AES-256-GCM wins), an EC P-256
 * certificate made by {@link SelfSignedCertificate}.
 *
 * <ul>
 *   <li>{@code fullHandshake}: a new client and server engine, a full handshake, both released;
 *   <li>{@code resumedHandshake}: the same, the client offering the session of its last connection to
 *       the same {@code host:port};
 *   <li>{@code record16k}: one 16 KiB record encrypted by the client and decrypted by the server, on an
 *       established connection (bytes/s = ops/s x 16384).
 * </ul>
 *
 * {@code engine} is {@code openssl} (the system's libssl.so.3 through FFM) or {@code jdk}
 * ({@code SSLEngine}); run with {@code --enable-native-access=ALL-UNNAMED}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class TlsEngineBenchmark {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    @Param({"openssl", "jdk"})
    public String engine;

    private TlsContext server;
    private TlsContext client;
    private final ByteBuffer toServer = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer toClient = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer plaintext = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer message = ByteBuffer.allocateDirect(16 * 1024);
    private SSLEngine establishedClient;
    private SSLEngine establishedServer;

    @Setup
    public void setUp() throws IOException {
        TlsEngineProvider provider = TlsEngines.named(engine);
        KeyMaterial identity = SelfSignedCertificate.generate(List.of("localhost"), Duration.ofDays(1));
        server = provider.newServerContext(TlsServerConfig.builder(identity).build());
        client = provider.newClientContext(TlsClientConfig.builder()
                .trustedCertificates(identity.chain()).verifyHostName(false).build());
        establishedClient = client.newEngine(null, -1);
        establishedServer = server.newEngine(null, -1);
        handshake(establishedClient, establishedServer);
    }

    @TearDown
    public void tearDown() {
        release(establishedClient);
        release(establishedServer);
        server.close();
        client.close();
    }

    @Benchmark
    public String fullHandshake() throws SSLException {
        return connect(client.newEngine(null, -1));
    }

    @Benchmark
    public String resumedHandshake() throws SSLException {
        return connect(client.newEngine("localhost", 443));
    }

    @Benchmark
    public int record16k() throws SSLException {
        message.clear();
        toServer.clear();
        establishedClient.wrap(message, toServer);
        toServer.flip();
        plaintext.clear();
        establishedServer.unwrap(toServer, plaintext);
        return plaintext.position();
    }

    private String connect(SSLEngine clientEngine) throws SSLException {
        SSLEngine serverEngine = server.newEngine(null, -1);
        try {
            handshake(clientEngine, serverEngine);
            return clientEngine.getSession().getCipherSuite();
        } finally {
            release(clientEngine);
            release(serverEngine);
        }
    }

    private static void release(SSLEngine engine) {
        if (engine instanceof ReleasableEngine releasable) {
            releasable.release();
        }
    }

    /** Until both sides are done and nothing is in flight (the server's tickets reach the client). */
    private void handshake(SSLEngine clientEngine, SSLEngine serverEngine) throws SSLException {
        toServer.clear();
        toClient.clear();
        clientEngine.beginHandshake();
        serverEngine.beginHandshake();
        for (int round = 0; round < 20; round++) {
            step(clientEngine, toClient, toServer);
            step(serverEngine, toServer, toClient);
            if (done(clientEngine) && done(serverEngine) && toServer.position() == 0 && toClient.position() == 0) {
                return;
            }
        }
        throw new IllegalStateException("no handshake after 20 rounds");
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    private void step(SSLEngine engine, ByteBuffer in, ByteBuffer out) throws SSLException {
        for (int i = 0; i < 50; i++) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                case NEED_WRAP -> {
                    if (engine.wrap(NOTHING, out).bytesProduced() == 0) {
                        return;
                    }
                }
                default -> {
                    in.flip();
                    try {
                        if (!in.hasRemaining()) {
                            return;
                        }
                        plaintext.clear();
                        SSLEngineResult result = engine.unwrap(in, plaintext);
                        if (result.bytesConsumed() == 0 && result.getHandshakeStatus() != HandshakeStatus.NEED_TASK) {
                            return;
                        }
                    } finally {
                        in.compact();
                    }
                }
            }
        }
    }
}
