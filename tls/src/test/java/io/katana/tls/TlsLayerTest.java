package io.katana.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.nio.NioReactorProvider;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The layer on the nio backend: an echo through our server and our client (the suite covers the rest). */
class TlsLayerTest {

    @Test
    void echoesAMegabyteThroughOurClientAndServer() throws Exception {
        KeyMaterial server = KeyMaterial.fromPem(PemTest.CERTS.resolve("server-ec.pem"),
                PemTest.CERTS.resolve("server-ec-key.pem"));
        byte[] sent = new byte[1 << 20];
        new Random(7).nextBytes(sent);
        try (ReactorGroup group = new NioReactorProvider().open(ReactorConfig.defaults().withThreads(1));
                TlsServer tls = TlsServer.open(TlsServerConfig.builder(server).applicationProtocols("echo").build());
                TlsClient client = TlsClient.open(TlsClientConfig.builder()
                        .trustedCertificates(Pem.readCertificates(PemTest.CERTS.resolve("ca.pem")))
                        .applicationProtocols("echo").build())) {
            Listener listener = group.listen(new InetSocketAddress("127.0.0.1", 0), tls.wrap(() -> new ConnectionHandler() {
                @Override
                public void onRead(Connection connection, ByteBuffer data) {
                    connection.write(data);
                    connection.flush();
                }
            }));
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            CompletableFuture<Void> done = new CompletableFuture<>();
            TlsConnection connection = client.connect(group,
                    new InetSocketAddress("localhost", listener.localAddress().getPort()),
                    ConnectOptions.DEFAULT, new ConnectionHandler() {
                        @Override
                        public void onRead(Connection c, ByteBuffer data) {
                            byte[] bytes = new byte[data.remaining()];
                            data.get(bytes);
                            received.writeBytes(bytes);
                            if (received.size() == sent.length) {
                                done.complete(null);
                            }
                        }
                    }).get(10, TimeUnit.SECONDS);
            assertThat(connection.applicationProtocol()).isEqualTo("echo");
            assertThat(connection.protocol()).isEqualTo("TLSv1.3");
            connection.writeAndFlush(ByteBuffer.wrap(sent));
            done.get(20, TimeUnit.SECONDS);
            assertThat(received.toByteArray()).isEqualTo(sent);
            connection.close();
            group.shutdownGracefully(Duration.ofSeconds(2));
        }
    }
}
