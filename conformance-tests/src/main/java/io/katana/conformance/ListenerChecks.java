package io.katana.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/** Listening: port 0, closing, SO_REUSEPORT, a port in use, the connection limit, spreading over reactors. */
final class ListenerChecks {

    private final Harness h;

    ListenerChecks(Harness harness) {
        this.h = harness;
    }

    void listenerReportsTheActualPortForPortZero() throws IOException {
        Listener listener = h.listen(h.server(), Probe::echo);
        InetSocketAddress address = listener.localAddress();
        assertThat(address.getPort()).as("port of a listener bound to port 0").isPositive();
        assertThat(address.getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(listener.isOpen()).isTrue();
        Socket peer = h.rawClient(address);
        peer.getOutputStream().write(Bytes.ascii("hi"));
        assertThat(Bytes.ascii(Bytes.readExactly(peer, 2))).isEqualTo("hi");
    }

    void closingAListenerKeepsItsConnections() throws IOException {
        Accepted accepted = new Accepted(Probe::echo);
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        accepted.next().awaitOpen();
        listener.close();
        assertThat(listener.isOpen()).as("isOpen after close").isFalse();
        listener.close();
        Peers.assertRefused(listener.localAddress(), "after the listener was closed");
        peer.getOutputStream().write(Bytes.ascii("still here"));
        assertThat(Bytes.ascii(Bytes.readExactly(peer, 10))).as("echo on a connection accepted before close")
                .isEqualTo("still here");
        assertThat(accepted.count()).as("connections accepted").isEqualTo(1);
    }

    void reusePortListenerServesAndSharesItsPort() throws IOException {
        try (ServerSocketChannel check = ServerSocketChannel.open()) {
            Assumptions.assumeTrue(check.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT),
                    "SO_REUSEPORT is not supported on this platform");
        }
        Accepted accepted = new Accepted(Probe::echo);
        Listener listener = h.listen(h.server(), ListenOptions.DEFAULT.withReusePort(true), accepted);
        assertThat(listener.localAddress().getPort()).isPositive();
        for (int i = 0; i < 20; i++) {
            Socket peer = h.rawClient(listener.localAddress());
            byte[] message = Bytes.ascii("reuse-port " + i);
            peer.getOutputStream().write(message);
            Bytes.assertSameBytes(message, Bytes.readExactly(peer, message.length), "echo " + i);
            peer.close();
        }
        assertThat(accepted.count()).isEqualTo(20);
        try (ServerSocketChannel sibling = ServerSocketChannel.open()) {
            sibling.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            sibling.bind(listener.localAddress());
        } catch (IOException e) {
            throw new AssertionError("another SO_REUSEPORT socket could not bind the listener's port, so the "
                    + "listener did not set SO_REUSEPORT: " + e, e);
        }
    }

    void listeningOnAPortInUseFailsWithIOException() throws IOException {
        ServerSocket taken = h.track(new ServerSocket());
        taken.setReuseAddress(false);
        taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        ReactorGroup group = h.server();
        assertThatThrownBy(() -> group.listen(taken.getLocalSocketAddress(), Probe::echo))
                .as("listen on a port another socket listens on")
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> group.listen(taken.getLocalSocketAddress(), ListenOptions.DEFAULT.withReusePort(true),
                        Probe::echo))
                .as("listen with SO_REUSEPORT on a port held by a socket without it")
                .isInstanceOf(IOException.class);
        Listener working = h.listen(group, Probe::echo);
        Socket peer = h.rawClient(working.localAddress());
        peer.getOutputStream().write(1);
        assertThat(Bytes.readExactly(peer, 1)).containsExactly(1);
    }

    void maxConnectionsRefusesTheSurplus() throws IOException {
        Accepted accepted = new Accepted(Probe::echo);
        Listener listener = h.listen(h.server(), ListenOptions.DEFAULT.withMaxConnections(2), accepted);
        Socket first = h.rawClient(listener.localAddress());
        Probe firstServer = accepted.next();
        firstServer.awaitOpen();
        Socket second = h.rawClient(listener.localAddress());
        accepted.next().awaitOpen();

        Socket surplus = h.rawClient(listener.localAddress());
        sendIgnoringFailure(surplus, "third");
        assertThat(Bytes.readUntilEnd(surplus, 16).data()).as("bytes echoed to a connection over the limit").isEmpty();
        for (Socket admitted : new Socket[] {first, second}) {
            admitted.getOutputStream().write(Bytes.ascii("ok"));
            assertThat(Bytes.ascii(Bytes.readExactly(admitted, 2))).isEqualTo("ok");
        }

        first.close();
        firstServer.awaitClose();
        Socket replacement = h.rawClient(listener.localAddress());
        replacement.getOutputStream().write(Bytes.ascii("room again"));
        assertThat(Bytes.ascii(Bytes.readExactly(replacement, 10))).as("echo once a connection left")
                .isEqualTo("room again");
    }

    void acceptedConnectionsAreSpreadOverTheReactors() throws IOException {
        ReactorGroup group = h.server();
        Accepted accepted = new Accepted(Probe::echo);
        Listener listener = h.listen(group, accepted);
        Set<Reactor> used = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            h.rawClient(listener.localAddress());
            Reactor reactor = accepted.next().connection().reactor();
            assertThat(group.reactors()).as("reactors of the group").contains(reactor);
            used.add(reactor);
        }
        assertThat(used).as("reactors that got one of 8 connections").containsExactlyInAnyOrderElementsOf(
                group.reactors());
    }

    private static void sendIgnoringFailure(Socket socket, String text) {
        try {
            socket.getOutputStream().write(Bytes.ascii(text));
        } catch (IOException expected) {
            // Already closed by the listener: fine.
        }
    }
}
