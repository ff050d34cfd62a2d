package io.katana.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.conformance.Probe.Event;
import io.katana.reactor.Listener;
import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorGroup;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler or task that throws hurts only its own connection, and is reported once; closing or
 * aborting a connection from inside its own callbacks works.
 */
final class FailureChecks {

    private final Harness h;

    FailureChecks(Harness harness) {
        this.h = harness;
    }

    void throwingOnReadClosesOnlyThatConnection() throws IOException {
        ReactorGroup single = h.openServer(config -> config.withThreads(1));
        RuntimeException planned = new IllegalStateException("planned failure in onRead");
        Accepted accepted = new Accepted(() -> Probe.recording().whenRead((c, data) -> {
            if (Bytes.ascii(Bytes.remaining(data)).contains("boom")) {
                throw planned;
            }
            c.write(data);
            c.flush();
        }));
        Listener listener = h.listen(single, accepted);
        Socket healthy = h.rawClient(listener.localAddress());
        Probe healthyServer = accepted.next();
        Socket failing = h.rawClient(listener.localAddress());
        Probe failingServer = accepted.next();

        failing.getOutputStream().write(Bytes.ascii("boom"));
        assertThat(failingServer.awaitClose()).as("onClose cause after onRead threw").isSameAs(planned);
        Bytes.readUntilEnd(failing, 0);
        assertStillServing(healthy, listener);
        assertThat(healthyServer.isClosed()).as("the other connection closed too").isFalse();
        failingServer.assertContract();
        assertThat(failingServer.events()).containsExactly(Event.OPEN, Event.READ, Event.CLOSE);
    }

    void throwingOnOpenClosesOnlyThatConnection() throws IOException {
        ReactorGroup single = h.openServer(config -> config.withThreads(1));
        RuntimeException planned = new IllegalStateException("planned failure in onOpen");
        AtomicInteger opened = new AtomicInteger();
        Accepted accepted = new Accepted(() -> Probe.echo().whenOpened(c -> {
            if (opened.incrementAndGet() == 2) {
                throw planned;
            }
        }));
        Listener listener = h.listen(single, accepted);
        Socket healthy = h.rawClient(listener.localAddress());
        accepted.next().awaitOpen();
        Socket failing = h.rawClient(listener.localAddress());
        Probe failingServer = accepted.next();
        assertThat(failingServer.awaitClose()).as("onClose cause after onOpen threw").isSameAs(planned);
        assertThat(failingServer.events()).containsExactly(Event.OPEN, Event.CLOSE);
        Bytes.readUntilEnd(failing, 0);
        assertStillServing(healthy, listener);
        failingServer.assertContract();
    }

    void throwingOnInputClosedClosesWithThatCause() throws IOException {
        RuntimeException planned = new IllegalStateException("planned failure in onInputClosed");
        Accepted accepted = new Accepted(() -> Probe.recording().whenInputClosed(c -> {
            throw planned;
        }));
        Listener listener = h.listen(h.server(), accepted);
        Socket failing = h.rawClient(listener.localAddress());
        failing.shutdownOutput();
        Probe server = accepted.next();
        assertThat(server.awaitClose()).as("onClose cause after onInputClosed threw").isSameAs(planned);
        assertThat(server.events()).containsExactly(Event.OPEN, Event.INPUT_CLOSED, Event.CLOSE);
        Bytes.readUntilEnd(failing, 0);
        server.assertContract();

        Socket second = h.rawClient(listener.localAddress());
        second.shutdownOutput();
        Probe secondServer = accepted.next();
        assertThat(secondServer.awaitClose()).as("the same failure on the next connection").isSameAs(planned);
        Bytes.readUntilEnd(second, 0);
    }

    void throwingOnCloseIsContained() throws IOException {
        ReactorGroup single = h.openServer(config -> config.withThreads(1));
        AtomicInteger closes = new AtomicInteger();
        Accepted accepted = new Accepted(() -> Probe.echo().whenClosed((c, cause) -> {
            closes.incrementAndGet();
            throw new IllegalStateException("planned failure in onClose");
        }));
        Listener listener = h.listen(single, accepted);
        Socket healthy = h.rawClient(listener.localAddress());
        accepted.next().awaitOpen();
        for (int i = 0; i < 3; i++) {
            Socket failing = h.rawClient(listener.localAddress());
            Probe server = accepted.next();
            failing.close();
            assertThat(server.awaitClose()).isNull();
            server.assertContract();
        }
        assertStillServing(healthy, listener);
        Waits.sleep(Duration.ofMillis(100));
        assertThat(closes.get()).as("onClose calls for three closed connections").isEqualTo(3);
    }

    void throwingTasksAndTimersDoNotStopTheReactor() throws IOException {
        ReactorGroup single = h.openServer(config -> config.withThreads(1));
        Reactor reactor = single.reactors().getFirst();
        Listener listener = h.listen(single, Probe::echo);
        Socket healthy = h.rawClient(listener.localAddress());
        assertStillServing(healthy, listener);
        CountDownLatch after = new CountDownLatch(2);
        for (int i = 0; i < 5; i++) {
            reactor.execute(() -> {
                throw new IllegalStateException("planned failure in a task");
            });
            reactor.schedule(1, TimeUnit.MILLISECONDS, () -> {
                throw new IllegalStateException("planned failure in a timer");
            });
        }
        reactor.execute(after::countDown);
        reactor.schedule(20, TimeUnit.MILLISECONDS, after::countDown);
        Waits.await(after, "a task and a timer after failing ones");
        assertStillServing(healthy, listener);
    }

    void closeInsideOnOpen() throws IOException {
        Accepted accepted = new Accepted(() -> Probe.recording().whenOpened(c -> {
            c.write(Bytes.asciiBuffer("bye"));
            c.close();
        }));
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        assertThat(Bytes.ascii(Bytes.readToEndOfStream(peer, 16))).isEqualTo("bye");
        Probe server = accepted.next();
        assertThat(server.awaitClose()).isNull();
        assertThat(server.events()).containsExactly(Event.OPEN, Event.CLOSE);
        server.assertContract();
    }

    void abortInsideOnOpen() throws IOException {
        Accepted accepted = new Accepted(() -> Probe.recording().whenOpened(c -> {
            c.write(Bytes.asciiBuffer("never sent"));
            c.abort();
        }));
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        assertThat(Bytes.readUntilEnd(peer, 16).data()).as("bytes queued before abort, never flushed").isEmpty();
        Probe server = accepted.next();
        server.awaitClose();
        assertThat(server.events()).containsExactly(Event.OPEN, Event.CLOSE);
        server.assertContract();
    }

    void closeInsideOnRead() throws IOException {
        Accepted accepted = new Accepted(() -> Probe.recording().whenRead((c, data) -> {
            data.position(data.limit());
            c.write(Bytes.asciiBuffer("reply"));
            c.close();
        }));
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        peer.getOutputStream().write(Bytes.ascii("request"));
        assertThat(Bytes.ascii(Bytes.readToEndOfStream(peer, 16))).isEqualTo("reply");
        Probe server = accepted.next();
        assertThat(server.awaitClose()).isNull();
        sendIgnoringReset(peer, "more after close");
        assertThat(server.reads()).as("onRead calls for a connection closed in its first onRead").isEqualTo(1);
        server.assertContract();
    }

    void abortInsideOnRead() throws IOException {
        Accepted accepted = new Accepted(() -> Probe.recording().whenRead((c, data) -> {
            data.position(data.limit());
            c.write(Bytes.asciiBuffer("never sent"));
            c.abort();
        }));
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        peer.getOutputStream().write(Bytes.ascii("request"));
        assertThat(Bytes.readUntilEnd(peer, 16).data()).isEmpty();
        Probe server = accepted.next();
        server.awaitClose();
        sendIgnoringReset(peer, "more after abort");
        assertThat(server.reads()).isEqualTo(1);
        assertThat(server.events()).containsExactly(Event.OPEN, Event.READ, Event.CLOSE);
        server.assertContract();
    }

    // ---------------------------------------------------------------- helpers

    /** Proves the listener's reactor still works: an echo on {@code existing} and on a new connection. */
    private void assertStillServing(Socket existing, Listener listener) throws IOException {
        existing.getOutputStream().write(Bytes.ascii("still there?"));
        assertThat(Bytes.ascii(Bytes.readExactly(existing, 12))).as("echo on an existing connection")
                .isEqualTo("still there?");
        Socket fresh = h.rawClient(listener.localAddress());
        fresh.getOutputStream().write(Bytes.ascii("new one"));
        assertThat(Bytes.ascii(Bytes.readExactly(fresh, 7))).as("echo on a new connection").isEqualTo("new one");
    }

    private static void sendIgnoringReset(Socket peer, String text) {
        try {
            peer.getOutputStream().write(Bytes.ascii(text));
            Waits.sleep(Duration.ofMillis(50));
        } catch (IOException expected) {
            // The connection is gone: that is what this check closed it for.
        }
    }
}
