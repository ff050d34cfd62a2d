package io.katana.conformance;

import static io.katana.conformance.Bytes.KIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.katana.conformance.Probe.Event;
import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.WaterMarks;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The handler and connection contract: callback order and threads, attachments, addresses, ids,
 * and the open/closed state.
 */
final class ContractChecks {

    private final Harness h;

    ContractChecks(Harness harness) {
        this.h = harness;
    }

    void callbacksComeInOrderOpenFirstCloseLastOnce() throws IOException {
        Accepted accepted = new Accepted(Probe::echo);
        Listener listener = h.listen(h.server(), accepted);
        for (int i = 0; i < 10; i++) {
            Probe client = Probe.recording();
            Connection connection = h.connect(h.client(), listener.localAddress(), client);
            connection.writeAndFlush(Bytes.asciiBuffer("message " + i));
            client.awaitReceived(9);
            connection.shutdownOutput();
            assertThat(client.awaitClose()).isNull();
            Probe server = accepted.next();
            assertThat(server.awaitClose()).isNull();
            assertThat(client.events()).as("client callbacks")
                    .containsExactly(Event.OPEN, Event.READ, Event.INPUT_CLOSED, Event.CLOSE);
            assertThat(server.events()).as("server callbacks")
                    .containsExactly(Event.OPEN, Event.READ, Event.INPUT_CLOSED, Event.CLOSE);
            client.assertContract();
            server.assertContract();
        }
    }

    void everyCallbackRunsOnTheConnectionsReactor() throws IOException {
        WaterMarks tight = new WaterMarks(4 * KIB, 8 * KIB);
        Accepted accepted = new Accepted(() -> Probe.echo().whenWritabilityChanged((c, writable) -> { }));
        ReactorGroup servers = h.server();
        ReactorGroup clients = h.client();
        Listener listener = h.listen(servers, ListenOptions.DEFAULT.withWaterMarks(tight), accepted);
        List<Probe> clientProbes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Probe client = Probe.recording();
            clientProbes.add(client);
            Connection connection = h.connect(clients, listener.localAddress(),
                    ConnectOptions.DEFAULT.withWaterMarks(tight), client);
            assertThat(clients.reactors()).as("client group's reactors").contains(connection.reactor());
            connection.write(Bytes.random(h.random(), 256 * KIB)); // over the high mark: writability flips
            connection.flush();
            client.awaitReceived(256 * KIB);
            connection.close();
            client.awaitClose();
        }
        Set<String> serverThreads = names(servers.reactors());
        Set<String> clientThreads = names(clients.reactors());
        for (Probe client : clientProbes) {
            client.assertContract();
            assertThat(clientThreads).as("client reactor threads").containsAll(client.callbackThreads());
            assertThat(client.events()).as("client callbacks").contains(Event.UNWRITABLE, Event.WRITABLE);
        }
        for (Probe server : accepted.all()) {
            server.awaitClose();
            server.assertContract();
            assertThat(serverThreads).as("server reactor threads").containsAll(server.callbackThreads());
            assertThat(servers.reactors()).contains(server.connection().reactor());
        }
    }

    void attachmentsAreKeptAndSeenFromAnyThread() throws IOException {
        CompletableFuture<Object> seenOnLoop = new CompletableFuture<>();
        Accepted accepted = new Accepted(() -> Probe.recording()
                .whenOpened(c -> {
                    if (c.attachment() != null) {
                        throw new AssertionError("a new connection's attachment is " + c.attachment());
                    }
                    c.attach("attached in onOpen");
                })
                .whenRead((c, data) -> {
                    data.position(data.limit());
                    seenOnLoop.complete(c.attachment());
                }));
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        Connection connection = accepted.next().connection();
        assertThat(connection.attachment()).as("attachment read on another thread").isEqualTo("attached in onOpen");
        Object replacement = new Object();
        connection.attach(replacement);
        assertThat(connection.attachment()).isSameAs(replacement);
        peer.getOutputStream().write(1);
        assertThat(Waits.await(seenOnLoop, "onRead")).as("attachment seen on the reactor thread")
                .isSameAs(replacement);
        connection.attach(null);
        assertThat(connection.attachment()).isNull();
    }

    void addressesMatchBothEnds() throws IOException {
        Accepted accepted = new Accepted(Probe::recording);
        Listener listener = h.listen(h.server(), accepted);
        Probe client = Probe.recording();
        Connection outbound = h.connect(h.client(), listener.localAddress(), client);
        Connection inbound = accepted.next().connection();
        assertThat(outbound.remoteAddress()).as("client's remote address").isEqualTo(listener.localAddress());
        assertThat(inbound.localAddress()).as("server's local address").isEqualTo(listener.localAddress());
        assertThat(inbound.remoteAddress()).as("server's remote address").isEqualTo(outbound.localAddress());
        assertThat(outbound.localAddress()).as("client's local address").isInstanceOf(InetSocketAddress.class);

        Socket peer = h.rawClient(listener.localAddress());
        Connection fromRaw = accepted.next().connection();
        assertThat(fromRaw.remoteAddress()).as("server's view of a blocking peer")
                .isEqualTo(peer.getLocalSocketAddress());
        assertThat(fromRaw.localAddress()).isEqualTo(peer.getRemoteSocketAddress());
    }

    void connectionIdsAreUniqueAndNeverReused() throws IOException {
        Accepted accepted = new Accepted(Probe::recording);
        Listener listener = h.listen(h.server(), accepted);
        Set<Long> clientIds = new HashSet<>();
        Set<Long> serverIds = new HashSet<>();
        List<Connection> open = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            open.add(h.connect(h.client(), listener.localAddress(), Probe.recording()));
        }
        for (int i = 0; i < 30; i++) {
            Probe client = Probe.recording();
            Connection connection = h.connect(h.client(), listener.localAddress(), client);
            open.add(connection);
            connection.close(); // closed at once, so the next connections may reuse its descriptor
            client.awaitClose();
        }
        for (Connection connection : open) {
            assertThat(clientIds.add(connection.id())).as("client connection id " + connection.id() + " unique")
                    .isTrue();
        }
        for (int i = 0; i < open.size(); i++) {
            long id = accepted.next().connection().id();
            assertThat(serverIds.add(id)).as("server connection id " + id + " unique").isTrue();
        }
    }

    void isOpenFollowsTheLifecycle() throws IOException {
        CompletableFuture<Boolean> openInOnOpen = new CompletableFuture<>();
        CompletableFuture<Boolean> openInOnClose = new CompletableFuture<>();
        Accepted accepted = new Accepted(() -> Probe.recording()
                .whenOpened(c -> openInOnOpen.complete(c.isOpen()))
                .whenClosed((c, cause) -> openInOnClose.complete(c.isOpen())));
        Listener listener = h.listen(h.server(), accepted);
        Probe client = Probe.recording();
        Connection connection = h.connect(h.client(), listener.localAddress(), client);
        assertThat(connection.isOpen()).as("isOpen once connected").isTrue();
        assertThat(Waits.await(openInOnOpen, "server onOpen")).as("isOpen in onOpen").isTrue();
        connection.close();
        assertThat(Waits.await(openInOnClose, "server onClose")).as("isOpen in onClose").isFalse();
        client.awaitClose();
        assertThat(connection.isOpen()).as("isOpen after onClose").isFalse();
    }

    private static Set<String> names(List<Reactor> reactors) {
        Set<String> names = new HashSet<>();
        for (Reactor reactor : reactors) {
            names.add(reactor.name());
        }
        return names;
    }
}
