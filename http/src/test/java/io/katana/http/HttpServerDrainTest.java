package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link HttpServer#close()} drains for the configured time: running responses finish, then the rest is cut. */
class HttpServerDrainTest {

    private static HttpServer slowServer(Duration drain, CountDownLatch started, long answerAfterMillis) throws IOException {
        return HttpServer.builder()
                .address(new InetSocketAddress("127.0.0.1", 0))
                .drainTimeout(drain)
                .get("/slow", HttpHandler.blocking((req, res) -> {
                    started.countDown();
                    Thread.sleep(answerAfterMillis);
                    res.send("done");
                }))
                .start();
    }

    @Test
    void aResponseRunningWhenTheServerClosesFinishesWithinTheDrain() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        HttpServer server = slowServer(Duration.ofSeconds(20), started, 1_500);
        try (RawHttpClient client = new RawHttpClient(server.port())) {
            client.send("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("done");
            assertThat(response.header("Connection")).as("the last response says so").isEqualToIgnoringCase("close");
            closing.get(20, TimeUnit.SECONDS);
            assertThat(server.group().isShuttingDown()).isTrue();
        } finally {
            server.close();
        }
    }

    @Test
    void aZeroDrainCutsWhatIsStillRunning() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        HttpServer server = slowServer(Duration.ZERO, started, 3_000);
        try (RawHttpClient client = new RawHttpClient(server.port())) {
            client.send("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            server.close();
            assertThatThrownBy(client::read).isInstanceOf(IOException.class);
        } finally {
            server.close();
        }
    }

    @Test
    void aNegativeDrainIsRefusedWithTheValue() {
        assertThatThrownBy(() -> HttpServer.builder().drainTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-1S");
    }
}
