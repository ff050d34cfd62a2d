package io.katana.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectOptions;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * Socket options are applied, not just accepted: {@code TCP_NODELAY}, {@code SO_RCVBUF} and {@code
 * SO_SNDBUF} of {@link ListenOptions} on accepted sockets and of {@link ConnectOptions} on connected
 * ones, read back from the kernel by {@link SocketProbe}; and {@code SO_REUSEADDR}, by its effect:
 * a port with a connection in {@code TIME_WAIT} can be listened on again at once.
 */
final class SocketOptionChecks {

    /** Receive buffer asked for: far from the defaults (128 KiB, or more once autotuned). */
    static final int RECEIVE_BUFFER = 24 * Bytes.KIB;
    /** Send buffer asked for: far from the defaults (16 KiB before the handshake, megabytes after). */
    static final int SEND_BUFFER = 40 * Bytes.KIB;

    private final Harness h;

    SocketOptionChecks(Harness harness) {
        this.h = harness;
    }

    void acceptedSocketsHaveTheListenOptions() throws IOException {
        assumeProbe();
        for (boolean noDelay : new boolean[] {true, false}) {
            ListenOptions options = ListenOptions.DEFAULT.withTcpNoDelay(noDelay)
                    .withReceiveBufferSize(RECEIVE_BUFFER).withSendBufferSize(SEND_BUFFER);
            Accepted accepted = new Accepted(Probe::recording);
            Listener listener = h.listen(h.server(), options, accepted);
            Socket peer = h.rawClient(listener.localAddress());
            accepted.next().awaitOpen();
            assertOptions("an accepted socket (listen options " + describe(noDelay) + ")",
                    listener.localAddress().getPort(), peer.getLocalPort(), noDelay);
            listener.close();
        }
    }

    void connectedSocketsHaveTheConnectOptions() throws IOException {
        assumeProbe();
        for (boolean noDelay : new boolean[] {true, false}) {
            ConnectOptions options = ConnectOptions.DEFAULT.withTcpNoDelay(noDelay)
                    .withReceiveBufferSize(RECEIVE_BUFFER).withSendBufferSize(SEND_BUFFER);
            ServerSocket server = h.track(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            server.setSoTimeout((int) Waits.EVENT.toMillis());
            Probe client = Probe.recording();
            var connecting = h.client().connect(server.getLocalSocketAddress(), options, client);
            h.track(server.accept());
            Connection connection = Waits.await(connecting, "connect with " + describe(noDelay));
            int localPort = ((InetSocketAddress) connection.localAddress()).getPort();
            assertOptions("a connected socket (connect options " + describe(noDelay) + ")",
                    localPort, server.getLocalPort(), noDelay);
            connection.close();
            client.awaitClose();
        }
    }

    void reuseAddressListensAgainOverTimeWait() throws IOException {
        ReactorGroup group = h.server();
        Accepted accepted = new Accepted(() -> Probe.recording().whenOpened(Connection::close));
        Listener first = h.listen(group, ListenOptions.DEFAULT.withReuseAddress(true), accepted);
        InetSocketAddress address = first.localAddress();
        // The server closes first, so its end of the connection waits in TIME_WAIT on the listening port.
        try (Socket peer = new Socket()) {
            peer.setSoTimeout((int) Waits.EVENT.toMillis());
            peer.connect(address, (int) Waits.EVENT.toMillis());
            Bytes.readToEndOfStream(peer, 0);
        }
        accepted.next().awaitClose();
        if (SocketProbe.unsupportedReason() == null) {
            Waits.until(() -> SocketProbe.timeWaitCount(address.getPort()) > 0, Waits.EVENT,
                    () -> "a connection closed by the server first in TIME_WAIT on port " + address.getPort());
        } else {
            Waits.sleep(Duration.ofMillis(200));
        }
        first.close();
        Listener second;
        try {
            second = group.listen(address, ListenOptions.DEFAULT.withReuseAddress(true), Probe::echo);
        } catch (IOException e) {
            throw new AssertionError("listening again on " + address + " with SO_REUSEADDR failed while a connection "
                    + "of the closed listener waits in TIME_WAIT there: the option was not applied (" + e + ")", e);
        }
        Socket peer = h.rawClient(second.localAddress());
        peer.getOutputStream().write(Bytes.ascii("again"));
        assertThat(Bytes.ascii(Bytes.readExactly(peer, 5))).as("echo from the listener bound again").isEqualTo("again");
    }

    private static void assumeProbe() {
        Assumptions.assumeTrue(SocketProbe.unsupportedReason() == null, SocketProbe::unsupportedReason);
    }

    private static void assertOptions(String what, int localPort, int remotePort, boolean noDelay) {
        int tcpNoDelay = SocketProbe.option(localPort, remotePort, SocketProbe.IPPROTO_TCP, SocketProbe.TCP_NODELAY);
        int receive = SocketProbe.option(localPort, remotePort, SocketProbe.SOL_SOCKET, SocketProbe.SO_RCVBUF);
        int send = SocketProbe.option(localPort, remotePort, SocketProbe.SOL_SOCKET, SocketProbe.SO_SNDBUF);
        assertThat(tcpNoDelay != 0).as("TCP_NODELAY of %s, read from the kernel", what).isEqualTo(noDelay);
        // Linux reports twice what was asked for (the bookkeeping overhead); other systems report it exactly.
        assertThat(receive).as("SO_RCVBUF of %s, read from the kernel, after asking for %d", what, RECEIVE_BUFFER)
                .isBetween(RECEIVE_BUFFER, 2 * RECEIVE_BUFFER);
        assertThat(send).as("SO_SNDBUF of %s, read from the kernel, after asking for %d", what, SEND_BUFFER)
                .isBetween(SEND_BUFFER, 2 * SEND_BUFFER);
    }

    private static String describe(boolean noDelay) {
        return "TCP_NODELAY " + noDelay + ", SO_RCVBUF " + RECEIVE_BUFFER + ", SO_SNDBUF " + SEND_BUFFER;
    }
}
