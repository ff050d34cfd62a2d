package io.katana.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;

/**
 * What a group does with work that is half-way when it shuts down: a connect still waiting for its
 * answer fails and gives its socket back; a connection that arrives while the group shuts down is
 * closed, never adopted and handed to a handler.
 */
final class TerminationChecks {

    private final Harness h;

    TerminationChecks(Harness harness) {
        this.h = harness;
    }

    void pendingConnectsFailWhenTheGroupShutsDown() throws IOException {
        ServerSocket full = h.track(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        InetSocketAddress address = (InetSocketAddress) full.getLocalSocketAddress();
        Assumptions.assumeTrue(h.fillAcceptQueue(address),
                "could not fill a local listener's accept queue, the only way found to keep a loopback connect "
                        + "pending here");
        ReactorGroup group = h.openClient(config -> config);
        List<Probe> handlers = new ArrayList<>();
        List<CompletableFuture<Connection>> connects = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // on every reactor of the group
            Probe handler = Probe.recording();
            handlers.add(handler);
            connects.add(group.connect(address, ConnectOptions.DEFAULT.withTimeout(Duration.ofMinutes(2)), handler));
        }
        Waits.sleep(Duration.ofMillis(200)); // the attempts have started and wait for an answer that never comes
        for (CompletableFuture<Connection> connect : connects) {
            assertThat(connect).as("a connect to a listener whose accept queue is full, before shutdown").isNotDone();
        }
        CompletableFuture<Void> terminated = group.shutdownGracefully(Duration.ofMillis(500));
        Waits.await(terminated, Waits.SHUTDOWN, "shutdown of a group with pending connects");
        for (int i = 0; i < connects.size(); i++) {
            CompletableFuture<Connection> connect = connects.get(i);
            Waits.until(connect::isDone, Duration.ofSeconds(2),
                    () -> "a connect still pending when its group shut down neither failed nor completed: its future "
                            + "is left hanging (and its socket, with it)");
            assertThat(connect).as("a connect that was still pending when its group terminated")
                    .isCompletedExceptionally();
            assertThat(handlers.get(i).isOpened()).as("onOpen of a connect pending at shutdown").isFalse();
        }
        // The descriptors of the abandoned attempts are checked, as every check's, when it ends.
    }

    void connectionsArrivingDuringShutdownAreClosedUnopened() throws Exception {
        // One reactor, held: the connections wait in the kernel's accept queue while the group begins to shut down.
        arriveDuringShutdown(h.openServer(config -> config.withThreads(1)), 0);
        // Two reactors, one held at a time: when the free one accepts, it hands some connections to the held
        // one, whose adoption tasks then run after the shutdown began.
        arriveDuringShutdown(h.openServer(config -> config.withThreads(2)), 0);
        arriveDuringShutdown(h.openServer(config -> config.withThreads(2)), 1);
    }

    private void arriveDuringShutdown(ReactorGroup group, int held) throws Exception {
        Accepted accepted = new Accepted(Probe::recording);
        Listener listener = h.listen(group, accepted);
        Reactor reactor = group.reactors().get(held);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        reactor.execute(() -> {
            holding.countDown();
            try {
                release.await(Waits.EVENT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<Socket> peers = new ArrayList<>();
        long openedBefore;
        try {
            Waits.await(holding, "the reactor taking the task that holds it");
            for (int i = 0; i < 4; i++) {
                Socket peer = h.track(new Socket());
                peer.setSoTimeout((int) Waits.EVENT.toMillis());
                peer.connect(listener.localAddress(), (int) Waits.EVENT.toMillis());
                peers.add(peer);
            }
            Waits.sleep(Duration.ofMillis(200)); // a free reactor accepts and opens what is its own meanwhile
            openedBefore = accepted.all().stream().filter(Probe::isOpened).count();
            Future<CompletableFuture<Void>> shutdown =
                    h.background(() -> group.shutdownGracefully(Duration.ofSeconds(2)));
            Waits.until(group::isShuttingDown, Waits.EVENT, () -> "the group to say it is shutting down");
            release.countDown();
            CompletableFuture<Void> terminated = Harness.join(shutdown, Waits.SHUTDOWN, "shutdownGracefully");
            Waits.await(terminated, Waits.SHUTDOWN, "shutdown of a group with connections waiting to be accepted");
        } finally {
            release.countDown();
        }
        long openedAfter = accepted.all().stream().filter(Probe::isOpened).count();
        assertThat(openedAfter - openedBefore)
                .as("connections opened (onOpen) after their group began to shut down, with reactor %d of %d held "
                        + "(%d handler(s) made, %d opened before the shutdown)", held, group.reactors().size(),
                        accepted.count(), openedBefore)
                .isZero();
        for (Socket peer : peers) {
            try {
                Bytes.readUntilEnd(peer, 16);
            } catch (AssertionError e) {
                if (e.getCause() instanceof SocketTimeoutException) {
                    throw new AssertionError("a connection that arrived while its group shut down was left open "
                            + "after the group terminated", e);
                }
                throw e;
            }
        }
    }
}
