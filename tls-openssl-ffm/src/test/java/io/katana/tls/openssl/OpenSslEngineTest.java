package io.katana.tls.openssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katana.tls.TlsClientConfig;
import io.katana.tls.TlsServerConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's SSLEngine contract, driven in memory: statuses, resumption, failures and release. */
class OpenSslEngineTest {
    private final OpenSslTlsEngineProvider provider = new OpenSslTlsEngineProvider();

    @BeforeEach
    void available() {
        assumeTrue(provider.isAvailable(), () -> "openssl engine unavailable: " + provider.availability().reason());
    }

    private static TlsClientConfig.Builder client() {
        return TlsClientConfig.builder().trustedCertificates(TestIdentities.certificates("ca.pem"));
    }

    @Test
    void eachSideReportsFinishedOnceThenCarriesData() throws SSLException {
        try (OpenSslContext server = (OpenSslContext) provider.newServerContext(
                TlsServerConfig.builder(TestIdentities.identity("server-ec")).applicationProtocols("h2", "http/1.1").build());
                OpenSslContext client = (OpenSslContext) provider.newClientContext(
                        client().applicationProtocols("http/1.1").build())) {
            OpenSslEngine serverEngine = server.newEngine(null, -1);
            OpenSslEngine clientEngine = client.newEngine("localhost", 443);
            MemoryHandshakes pair = new MemoryHandshakes();

            pair.handshake(clientEngine, serverEngine);

            assertThat(pair.clientFinished).isEqualTo(1);
            assertThat(pair.serverFinished).isEqualTo(1);
            assertThat(clientEngine.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(clientEngine.getSession().getCipherSuite()).isEqualTo("TLS_AES_256_GCM_SHA384");
            assertThat(serverEngine.getApplicationProtocol()).isEqualTo("http/1.1");
            assertThat(clientEngine.getApplicationProtocol()).isEqualTo("http/1.1");
            assertThat(serverEngine.getSession().getId()).isNotEmpty();

            ByteBuffer record = ByteBuffer.allocate(OpenSslEngine.MAX_RECORD);
            SSLEngineResult wrapped = clientEngine.wrap(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)), record);
            assertThat(wrapped.bytesConsumed()).isEqualTo(4);
            ByteBuffer plain = ByteBuffer.allocate(OpenSslEngine.MAX_PLAINTEXT);
            SSLEngineResult unwrapped = serverEngine.unwrap(record.flip(), plain);
            assertThat(unwrapped.getHandshakeStatus()).isEqualTo(HandshakeStatus.NOT_HANDSHAKING);
            assertThat(new String(plain.array(), 0, plain.position(), StandardCharsets.US_ASCII)).isEqualTo("ping");
            serverEngine.release();
            clientEngine.release();
        }
    }

    @Test
    void aDestinationSmallerThanTheLargestRecordTakesAShorterRecordOfTheNegotiatedSize() throws SSLException {
        try (OpenSslContext server = (OpenSslContext) provider.newServerContext(
                TlsServerConfig.builder(TestIdentities.identity("server-ec")).build());
                OpenSslContext client = (OpenSslContext) provider.newClientContext(client().build())) {
            OpenSslEngine serverEngine = server.newEngine(null, -1);
            OpenSslEngine clientEngine = client.newEngine("localhost", 443);
            new MemoryHandshakes().handshake(clientEngine, serverEngine);
            int overhead = OpenSslEngine.recordOverhead("TLSv1.3", "TLS_AES_256_GCM_SHA384");
            assertThat(overhead).isEqualTo(22);

            // a queue chunk of 16 KiB takes one record of 16 KiB less the overhead, not less 2 KiB
            ByteBuffer chunk = ByteBuffer.allocateDirect(16 * 1024);
            ByteBuffer source = ByteBuffer.allocateDirect(64 * 1024);
            SSLEngineResult wrapped = serverEngine.wrap(source, chunk);
            assertThat(wrapped.bytesConsumed()).isEqualTo(16 * 1024 - overhead);
            assertThat(wrapped.bytesProduced()).isEqualTo(16 * 1024);

            ByteBuffer small = ByteBuffer.allocate(100 + overhead);
            assertThat(serverEngine.wrap(ByteBuffer.wrap(new byte[100]), small).bytesProduced()).isEqualTo(100 + overhead);
            ByteBuffer tooSmall = ByteBuffer.allocate(overhead);
            assertThat(serverEngine.wrap(ByteBuffer.wrap(new byte[100]), tooSmall).getStatus())
                    .isEqualTo(SSLEngineResult.Status.BUFFER_OVERFLOW);

            ByteBuffer plain = ByteBuffer.allocateDirect(OpenSslEngine.MAX_PLAINTEXT);
            assertThat(clientEngine.unwrap(chunk.flip(), plain).bytesProduced()).isEqualTo(16 * 1024 - overhead);
            assertThat(clientEngine.unwrap(small.flip(), plain.clear()).bytesProduced()).isEqualTo(100);
            serverEngine.release();
            clientEngine.release();
        }
    }

    @Test
    void recordOverheadIsTheWorstCaseUnlessTheSuiteIsKnown() {
        assertThat(OpenSslEngine.recordOverhead("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")).isEqualTo(29);
        assertThat(OpenSslEngine.recordOverhead("TLSv1.2", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")).isEqualTo(21);
        assertThat(OpenSslEngine.recordOverhead("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"))
                .isEqualTo(OpenSslEngine.MAX_RECORD - OpenSslEngine.MAX_PLAINTEXT);
    }

    @Test
    void aPartialRecordIsLeftForLaterAndAHeaderThatIsNotTlsFailsWithOpenSslsReason() throws SSLException {
        try (OpenSslContext server = (OpenSslContext) provider.newServerContext(
                TlsServerConfig.builder(TestIdentities.identity("server-ec")).build())) {
            OpenSslEngine engine = server.newEngine(null, -1);
            engine.beginHandshake();
            ByteBuffer plain = ByteBuffer.allocate(OpenSslEngine.MAX_PLAINTEXT);

            SSLEngineResult partial = engine.unwrap(ByteBuffer.wrap(new byte[] {0x16, 3, 1, 0, 50, 1}), plain);
            assertThat(partial.getStatus()).isEqualTo(SSLEngineResult.Status.BUFFER_UNDERFLOW);
            assertThat(partial.bytesConsumed()).isZero();

            ByteBuffer http = ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> engine.unwrap(http, plain)).isInstanceOf(SSLHandshakeException.class)
                    .hasMessageStartingWith("TLS handshake failed: error:").hasMessageContaining("SSL routines");
            engine.release();
        }
    }

    @Test
    void aSecondConnectionToTheSamePeerResumes() throws SSLException {
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            try (OpenSslContext server = (OpenSslContext) provider.newServerContext(
                    TlsServerConfig.builder(TestIdentities.identity("server-ec")).build());
                    OpenSslContext client = (OpenSslContext) provider.newClientContext(client().protocols(protocol).build())) {
                OpenSslEngine firstClient = client.newEngine("localhost", 8443);
                OpenSslEngine firstServer = server.newEngine(null, -1);
                new MemoryHandshakes().handshake(firstClient, firstServer);
                OpenSslEngine secondClient = client.newEngine("localhost", 8443);
                OpenSslEngine secondServer = server.newEngine(null, -1);
                new MemoryHandshakes().handshake(secondClient, secondServer);
                OpenSslEngine otherPort = client.newEngine("localhost", 9443);
                OpenSslEngine otherServer = server.newEngine(null, -1);
                new MemoryHandshakes().handshake(otherPort, otherServer);

                assertThat(((OpenSslSession) firstClient.getSession()).isResumed()).as(protocol).isFalse();
                assertThat(((OpenSslSession) secondClient.getSession()).isResumed()).as(protocol).isTrue();
                assertThat(((OpenSslSession) secondServer.getSession()).isResumed()).as(protocol).isTrue();
                assertThat(((OpenSslSession) otherPort.getSession()).isResumed()).as("another port: " + protocol).isFalse();
                for (OpenSslEngine engine : new OpenSslEngine[] {firstClient, firstServer, secondClient, secondServer,
                        otherPort, otherServer}) {
                    engine.release();
                }
            }
        }
    }

    @Test
    void anUntrustedServerFailsBothSidesWithOpenSslsReasons() throws SSLException {
        try (OpenSslContext server = (OpenSslContext) provider.newServerContext(
                TlsServerConfig.builder(TestIdentities.identity("untrusted")).build());
                OpenSslContext client = (OpenSslContext) provider.newClientContext(client().build())) {
            OpenSslEngine clientEngine = client.newEngine("localhost", 443);
            OpenSslEngine serverEngine = server.newEngine(null, -1);
            MemoryHandshakes pair = new MemoryHandshakes();

            assertThatThrownBy(() -> pair.handshake(clientEngine, serverEngine)).isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("certificate verify failed")
                    .hasMessageContaining("(certificate check: self-signed certificate in certificate chain)");
            pair.toClient.clear(); // the rest of the server's flight: a failed engine reads no more
            clientEngine.closeOutbound();
            pair.step(clientEngine, pair.toClient, pair.toServer); // the alert goes out
            assertThat(clientEngine.isOutboundDone()).isTrue();
            assertThatThrownBy(() -> pair.step(serverEngine, pair.toServer, pair.toClient))
                    .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("alert unknown ca");
            clientEngine.release();
            serverEngine.release();
        }
    }

    @Test
    void releaseFreesOnceAndTheSessionStillAnswers() throws SSLException {
        try (OpenSslContext server = (OpenSslContext) provider.newServerContext(
                TlsServerConfig.builder(TestIdentities.identity("server-rsa")).build());
                OpenSslContext client = (OpenSslContext) provider.newClientContext(client().build())) {
            OpenSslEngine clientEngine = client.newEngine("localhost", 443);
            OpenSslEngine serverEngine = server.newEngine(null, -1);
            new MemoryHandshakes().handshake(clientEngine, serverEngine);
            java.security.cert.Certificate[] before = clientEngine.getSession().getPeerCertificates();

            clientEngine.release();
            clientEngine.release();

            assertThat(clientEngine.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(clientEngine.getSession().getPeerCertificates()).as("read before the release").isEqualTo(before);
            assertThat(before).as("the server's chain: leaf and CA").hasSize(2);
            assertThat(((java.security.cert.X509Certificate) before[0]).getSubjectX500Principal().getName())
                    .isEqualTo("CN=localhost");
            assertThatThrownBy(() -> clientEngine.wrap(ByteBuffer.allocate(1), ByteBuffer.allocate(OpenSslEngine.MAX_RECORD)))
                    .isInstanceOf(SSLException.class).hasMessageContaining("released");
            assertThat(clientEngine.isOutboundDone()).isTrue();
            serverEngine.release();
        }
    }
}
