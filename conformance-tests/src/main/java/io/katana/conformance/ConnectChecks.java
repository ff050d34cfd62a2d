package io.katana.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorGroup;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assumptions;

/** The client side: refused and unanswered connects, the connect future, connecting from a reactor. */
final class ConnectChecks {

    private final Harness h;

    ConnectChecks(Harness harness) {
        this.h = harness;
    }

    void refusedConnectFailsWithConnectException() throws IOException {
        InetSocketAddress closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = (InetSocketAddress) probe.getLocalSocketAddress();
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            Probe handler = Probe.recording();
            Throwable failure = Waits.awaitFailure(h.client().connect(closedPort, handler),
                    "connect to a closed port");
            assertThat(failure).as("why a connect to a closed port failed").isInstanceOf(ConnectException.class);
            assertThat(handler.isOpened()).as("onOpen after a refused connect").isFalse();
        }
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout((int) Waits.EVENT.toMillis());
            Probe handler = Probe.recording();
            CompletableFuture<Connection> connecting = h.client().connect(server.getLocalSocketAddress(), handler);
            h.track(server.accept());
            Connection connection = Waits.await(connecting, "connect after 20 refused ones");
            connection.close();
            assertThat(handler.awaitClose()).isNull();
        }
    }

    void unansweredConnectTimesOut() throws IOException {
        ServerSocket full = h.track(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        InetSocketAddress address = (InetSocketAddress) full.getLocalSocketAddress();
        Assumptions.assumeTrue(h.fillAcceptQueue(address),
                "could not fill a local listener's accept queue, the only way found to make a loopback connect "
                        + "go unanswered here");
        Duration timeout = Duration.ofMillis(600);
        Probe handler = Probe.recording();
        long start = System.nanoTime();
        CompletableFuture<Connection> connecting =
                h.client().connect(address, ConnectOptions.DEFAULT.withTimeout(timeout), handler);
        Throwable failure = Waits.awaitFailure(connecting, "connect to a listener whose accept queue is full");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(failure).as("why the unanswered connect failed").isInstanceOf(SocketTimeoutException.class);
        assertThat(took).as("time until the connect timed out, with a timeout of " + timeout)
                .isGreaterThanOrEqualTo(timeout.minusMillis(2))
                .isLessThan(timeout.plusSeconds(5));
        assertThat(handler.isOpened()).as("onOpen after a timed-out connect").isFalse();
    }

    void connectCompletesAfterOnOpen() throws IOException {
        Listener listener = h.listen(h.server(), Probe::echo);
        for (int i = 0; i < 20; i++) {
            Probe client = Probe.recording().whenOpened(c -> Waits.sleep(Duration.ofMillis(2)));
            CompletableFuture<Connection> connecting = h.client().connect(listener.localAddress(), client);
            CompletableFuture<Boolean> openedFirst = connecting.thenApply(c -> client.isOpened());
            Connection connection = Waits.await(connecting, "connect");
            assertThat(Waits.await(openedFirst, "the connect future")).as("onOpen returned before the future completed")
                    .isTrue();
            assertThat(connection).as("the future's connection").isSameAs(client.connection());
            assertThat(connection.isOpen()).isTrue();
            assertThat(connection.remoteAddress()).isEqualTo(listener.localAddress());
            connection.close();
            client.awaitClose();
            client.assertContract();
        }
    }

    void connectsFromReactorThreads() throws IOException {
        Listener echo = h.listen(h.server(), Probe::echo);
        Probe client = Probe.recording();
        ReactorGroup clients = h.client();
        CompletableFuture<Connection> fromLoop = Waits.onLoop(clients.next(),
                () -> clients.connect(echo.localAddress(), client));
        Connection connection = Waits.await(fromLoop, "connect called on a reactor thread");
        connection.writeAndFlush(Bytes.asciiBuffer("ping"));
        assertThat(Bytes.ascii(client.awaitReceived(4))).isEqualTo("ping");

        // A relay: its accepted connections connect, from their own reactor thread, to the echo server.
        ReactorGroup servers = h.server();
        Listener relay = h.listen(servers, () -> Probe.recording().whenOpened(outer -> {
            Probe inner = Probe.recording().whenRead((c, data) -> {
                outer.write(data);
                outer.flush();
            });
            servers.connect(echo.localAddress(), inner).thenAccept(c -> c.writeAndFlush(Bytes.asciiBuffer("relayed")));
        }));
        Socket peer = h.rawClient(relay.localAddress());
        assertThat(Bytes.ascii(Bytes.readExactly(peer, 7))).isEqualTo("relayed");
        client.assertContract();
    }
}
