package io.katana.conformance;

import static io.katana.conformance.Bytes.KIB;
import static io.katana.conformance.Bytes.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.katana.reactor.Connection;
import io.katana.reactor.Listener;
import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorGroup;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/** Graceful shutdown: queued writes drain, listeners and threads stop, stragglers are aborted. */
final class ShutdownChecks {

    private final Harness h;

    ShutdownChecks(Harness harness) {
        this.h = harness;
    }

    void gracefulShutdownDrainsQueuedWrites() throws IOException {
        int size = 8 * MIB;
        ReactorGroup group = h.openServer(config -> config);
        Accepted accepted = new Accepted(() -> Probe.recording().whenOpened(c -> c.writeAndFlush(
                Bytes.pattern(0, size, true))));
        Listener listener = h.listen(group, accepted);
        Socket peer = h.rawClient(listener.localAddress(), 64 * KIB);
        Probe server = accepted.next();
        Connection connection = server.connection();
        Waits.until(() -> connection.pendingOutboundBytes() > 0, Waits.EVENT,
                () -> "8 MiB written to a peer that has not read yet left nothing queued");

        CompletableFuture<Void> stopped = group.shutdownGracefully(Duration.ofSeconds(30));
        Bytes.readPattern(peer.getInputStream(), size, () -> {});
        assertThat(peer.getInputStream().read()).as("end of stream after the drained bytes").isEqualTo(-1);
        Waits.await(stopped, "graceful shutdown once the only connection drained");
        assertThat(server.awaitClose()).isNull();
        server.assertContract();
    }

    void shutdownStopsListenersAndThreads() throws IOException {
        ReactorGroup group = h.openServer(config -> config);
        Accepted accepted = new Accepted(Probe::echo);
        Listener listener = h.listen(group, accepted);
        Socket idle = h.rawClient(listener.localAddress());
        Probe server = accepted.next();
        server.awaitOpen();
        List<Thread> threads = new ArrayList<>();
        for (Reactor reactor : group.reactors()) {
            threads.add(Waits.onLoop(reactor, Thread::currentThread));
        }

        CompletableFuture<Void> stopped = group.shutdownGracefully(Duration.ofSeconds(10));
        assertThat(group.isShuttingDown()).isTrue();
        assertThat(group.shutdownGracefully(Duration.ofSeconds(1))).as("a second shutdownGracefully").isSameAs(stopped);
        assertThat(Bytes.readToEndOfStream(idle, 16)).as("bytes on an idle connection at shutdown").isEmpty();
        Waits.await(stopped, "shutdown of a group with one idle connection");
        assertThat(server.awaitClose()).isNull();
        for (Thread thread : threads) {
            assertThat(thread.isAlive()).as(thread.getName() + " alive after shutdown completed").isFalse();
        }
        assertThat(listener.isOpen()).as("listener open after shutdown").isFalse();
        Peers.assertRefused(listener.localAddress(), "after the group shut down");
        server.assertContract();
    }

    void shutdownAbortsConnectionsThatDoNotDrainInTime() throws IOException {
        ReactorGroup group = h.openServer(config -> config);
        Accepted accepted = new Accepted(Probe::recording);
        Listener listener = h.listen(group, accepted);
        h.rawClient(listener.localAddress(), 16 * KIB);
        Probe server = accepted.next();
        server.connection().writeAndFlush(Bytes.pattern(0, 32 * MIB, true));

        Duration timeout = Duration.ofMillis(300);
        long start = System.nanoTime();
        CompletableFuture<Void> stopped = group.shutdownGracefully(timeout);
        Waits.await(stopped, timeout.plusSeconds(10), "shutdown with a connection whose peer never reads");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(server.isClosed()).as("onClose of the connection that could not drain").isTrue();
        assertThat(took).as("shutdown time with a " + timeout.toMillis() + " ms timeout")
                .isLessThan(timeout.plusSeconds(10));
        server.assertContract();
    }

    void executeAfterShutdownIsRejected() {
        ReactorGroup group = h.openServer(config -> config);
        Reactor reactor = group.reactors().getFirst();
        Waits.await(group.shutdownGracefully(Duration.ofSeconds(1)), "shutdown of an idle group");
        assertThatThrownBy(() -> reactor.execute(() -> { }))
                .as("execute after shutdown")
                .isInstanceOf(RejectedExecutionException.class);
    }
}
