package io.katana.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.Connection;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorGroup;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Losing the peer while not reading: a reset while reading is paused is reported with its cause as
 * early as the backend can see it ({@link io.katana.reactor.spi.ReactorProvider#reportsResetWhilePaused()}
 * says whether that is at once or at the latest on resume), and a connection shut down both ways,
 * paused or not, costs its reactor no loop iterations.
 */
final class PeerLossChecks {

    private final Harness h;

    PeerLossChecks(Harness harness) {
        this.h = harness;
    }

    void resetWhilePausedIsReportedWithItsCause() throws IOException {
        boolean atOnce = h.serverProvider().reportsResetWhilePaused();
        Scripted server = new Scripted().whenOpened(Connection::pauseReading);
        Listener listener = h.listen(h.server(), () -> server);
        Socket peer = h.rawClient(listener.localAddress());
        Connection connection = server.awaitOpen();
        peer.getOutputStream().write(Bytes.ascii("unread"));
        Waits.sleep(Duration.ofMillis(100));
        CloseChecks.reset(peer);
        Throwable cause;
        if (atOnce) {
            cause = server.awaitClose(h.serverProvider().name() + " says it reports a reset while reading is paused "
                    + "at once, but onClose did not come while paused");
        } else {
            Waits.sleep(Duration.ofMillis(300));
            if (!server.isClosed()) {
                connection.resumeReading(); // the latest point the SPI allows
            }
            cause = server.awaitClose("onClose after resumeReading of a connection the peer reset while paused");
        }
        assertThat(cause).as("onClose cause of a connection reset while paused; callbacks " + server.log())
                .isNotNull();
        assertThat(server.log()).as("callbacks").doesNotContain("inputClosed");
        if (atOnce) {
            assertThat(server.log("read:")).as("presentations of a connection paused from onOpen").isEmpty();
        }
        assertThat(connection.isOpen()).isFalse();
    }

    void connectionsShutDownBothWaysDoNotSpinTheLoop() throws IOException {
        ReactorGroup single = h.openServer(config -> config.withThreads(1));
        List<Scripted> handlers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            boolean pause = i == 1;
            handlers.add(new Scripted()
                    .whenOpened(c -> {
                        if (pause) {
                            c.pauseReading();
                        }
                        c.shutdownOutput();
                    })
                    .whenInputClosed(c -> {})); // stays open, shut down both ways
        }
        java.util.Iterator<Scripted> next = handlers.iterator();
        Listener listener = h.listen(single, () -> next.next());
        List<Socket> peers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket peer = h.rawClient(listener.localAddress());
            handlers.get(i).awaitOpen();
            assertThat(peer.getInputStream().read()).as("the server's FIN").isEqualTo(-1);
            peers.add(peer);
        }
        peers.get(0).shutdownOutput(); // both ways, reading on
        peers.get(1).shutdownOutput(); // both ways, reading paused
        peers.get(2).close(); // the peer is gone altogether
        handlers.get(0).awaitLog(log -> log.contains("inputClosed"), "onInputClosed after the peer's FIN");
        handlers.get(2).awaitLog(log -> log.contains("inputClosed"), "onInputClosed after the peer closed");
        Waits.sleep(Duration.ofMillis(200)); // the paused one's FIN has arrived too, and anything queued is done

        long before = single.stats().loopIterations();
        Waits.sleep(Duration.ofMillis(500));
        long iterations = single.stats().loopIterations() - before;
        assertThat(iterations)
                .as("loop iterations in 500 ms of a reactor whose only connections are shut down both ways "
                        + "(one paused, one whose peer closed); an idle loop blocks, a spinning one counts millions")
                .isLessThan(200);
        for (Scripted handler : handlers) {
            assertThat(handler.isClosed()).as("connections the handler kept open").isFalse();
            assertThat(handler.overlaps()).isEmpty();
        }
    }
}
