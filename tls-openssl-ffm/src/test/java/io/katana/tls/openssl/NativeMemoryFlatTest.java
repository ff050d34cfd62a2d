package io.katana.tls.openssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katana.tls.TlsClientConfig;
import io.katana.tls.TlsServerConfig;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/**
 * Full handshakes between the engine's client and server, each pair released after use, must leave
 * the C heap as it was: a leaked {@code SSL} costs kilobytes, so a few thousand handshakes show one.
 * The drill {@code NativeMemoryFlatDrillTest} runs 100,000 through sockets and the TLS layer.
 */
class NativeMemoryFlatTest {

    @Test
    void twoThousandHandshakesLeaveTheCHeapFlat() throws SSLException {
        OpenSslTlsEngineProvider provider = new OpenSslTlsEngineProvider();
        assumeTrue(provider.isAvailable(), () -> "openssl engine unavailable: " + provider.availability().reason());
        assumeTrue(MallocInUse.supported(), "no mallinfo2 in this C library");
        try (OpenSslContext server = (OpenSslContext) provider.newServerContext(
                TlsServerConfig.builder(TestIdentities.identity("server-ec")).build());
                OpenSslContext client = (OpenSslContext) provider.newClientContext(TlsClientConfig.builder()
                        .trustedCertificates(TestIdentities.certificates("ca.pem")).build())) {
            handshakes(server, client, 1_000); // warms up the JIT, whose own malloc use then settles
            long before = MallocInUse.settledBytes();

            handshakes(server, client, 2_000);

            long grown = MallocInUse.settledBytes() - before;
            assertThat(grown).as("C heap growth over 2,000 handshakes, bytes").isLessThan(4L << 20);
        }
    }

    /** Full handshakes: a client engine without a peer name keeps no session, so none resumes. */
    static void handshakes(OpenSslContext server, OpenSslContext client, int count) throws SSLException {
        MemoryHandshakes pair = new MemoryHandshakes(); // its direct buffers are malloc'd: made once
        for (int i = 0; i < count; i++) {
            OpenSslEngine clientEngine = client.newEngine(null, -1);
            OpenSslEngine serverEngine = server.newEngine(null, -1);
            try {
                pair.handshake(clientEngine, serverEngine);
                if (((OpenSslSession) clientEngine.getSession()).isResumed()) {
                    throw new AssertionError("handshake " + i + " resumed; this test wants full ones");
                }
                clientEngine.getSession().getPeerCertificates();
            } finally {
                clientEngine.release();
                serverEngine.release();
            }
        }
    }
}
