package io.katana.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.Connection;
import io.katana.reactor.Listener;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Assumptions;

/**
 * The same steps over IPv6 loopback ({@code [::1]}), where the machine has it: listening, accepting,
 * connecting, refused connects, addresses, echoes and half-close. Skipped, with the reason, where
 * {@code ::1} cannot be bound.
 */
final class Ipv6Checks {

    private final Harness h;
    private final InetAddress loopback;

    Ipv6Checks(Harness harness) {
        this.loopback = ipv6Loopback();
        this.h = harness.useLoopback(loopback);
    }

    /** {@code ::1}, or the check is skipped with why it cannot be used here. */
    private static InetAddress ipv6Loopback() {
        InetAddress address;
        try {
            address = InetAddress.getByName("::1");
        } catch (UnknownHostException e) {
            Assumptions.abort("this JVM has no IPv6: " + e.getMessage());
            throw new AssertionError("unreachable");
        }
        try (ServerSocket probe = new ServerSocket(0, 1, address)) {
            return address;
        } catch (IOException e) {
            Assumptions.abort("this machine has no IPv6 loopback: binding [::1] failed with " + e);
            throw new AssertionError("unreachable");
        }
    }

    void servesAndConnectsOverIpv6Loopback() throws IOException {
        Listener listener = h.listen(h.server(), Probe::echo);
        InetSocketAddress address = listener.localAddress();
        assertThat(address.getAddress()).as("address of a listener bound to [::1]").isEqualTo(loopback);

        Socket peer = h.rawClient(address);
        byte[] payload = Bytes.random(h.random(), 100_003);
        h.background(() -> {
            peer.getOutputStream().write(payload);
            return null;
        });
        Bytes.assertSameBytes(payload, Bytes.readExactly(peer, payload.length), "echo over [::1] to a blocking peer");

        Probe client = Probe.recording();
        Connection connection = h.connect(h.client(), address, client);
        assertThat(connection.remoteAddress()).as("remote address of a reactor client connected to [::1]")
                .isEqualTo(address);
        assertThat(((InetSocketAddress) connection.localAddress()).getAddress()).isInstanceOf(Inet6Address.class);
        byte[] more = Bytes.random(h.random(), 1024 * 1024);
        connection.writeAndFlush(java.nio.ByteBuffer.wrap(more));
        Bytes.assertSameBytes(more, client.awaitReceived(more.length), "echo over [::1] between reactors");
        connection.shutdownOutput();
        // The echo server's default onInputClosed closes once everything is sent: the client sees FIN, then closes.
        client.awaitInputClosed();
        assertThat(client.awaitClose()).isNull();
        client.assertContract();
    }

    void refusedConnectOverIpv6FailsWithConnectException() throws IOException {
        InetSocketAddress closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, loopback)) {
            closedPort = (InetSocketAddress) probe.getLocalSocketAddress();
        }
        Probe handler = Probe.recording();
        Throwable failure = Waits.awaitFailure(h.client().connect(closedPort, handler), "connect to a closed [::1] port");
        assertThat(failure).as("why a connect to a closed [::1] port failed").isInstanceOf(ConnectException.class);
        assertThat(handler.isOpened()).isFalse();
    }
}
