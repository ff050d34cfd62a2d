package io.katana.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.conformance.Probe.Event;
import io.katana.reactor.Connection;
import io.katana.reactor.Listener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * {@link Connection#abort()} of a connection that has written is a reset, not a quiet close: the
 * peer sees its connection reset ({@code ECONNRESET}), never an orderly end of stream, and nothing
 * that was still queued. (A connection that never sent a byte may close either way, as the SPI's
 * {@code resetOnClose} allows.)
 */
final class AbortChecks {

    private final Harness h;

    AbortChecks(Harness harness) {
        this.h = harness;
    }

    void abortResetsTheConnectionOfAnAcceptedPeer() throws IOException {
        // The first request is answered; the second is answered with a queued write and an abort.
        Accepted accepted = new Accepted(() -> Probe.recording().whenRead((c, data) -> {
            boolean abort = Bytes.ascii(Bytes.remaining(data)).contains("abort");
            data.position(data.limit()); // nothing left unread, so only abort itself can make the reset
            if (abort) {
                c.write(Bytes.asciiBuffer("queued, never sent"));
                c.abort();
            } else {
                c.writeAndFlush(Bytes.asciiBuffer("sent"));
            }
        }));
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        peer.getOutputStream().write(Bytes.ascii("request"));
        assertThat(Bytes.ascii(Bytes.readExactly(peer, 4))).isEqualTo("sent");
        peer.getOutputStream().write(Bytes.ascii("abort"));
        assertReset(peer, "a blocking client whose server connection was aborted after writing");
        Probe server = accepted.next();
        server.awaitClose();
        assertThat(server.events()).containsExactly(Event.OPEN, Event.READ, Event.CLOSE);
        server.assertContract();
    }

    void abortRightAfterAFlushedWriteResets() throws IOException {
        // The answer and the abort in one callback: a backend that learns what a send took only when
        // it completes (io_uring) does not know yet whether the answer reached the socket, and must
        // reset all the same, or a peer that got the answer sees an orderly end.
        Accepted accepted = new Accepted(() -> Probe.recording().whenRead((c, data) -> {
            data.position(data.limit());
            c.writeAndFlush(Bytes.asciiBuffer("answer"));
            c.abort();
        }));
        Listener listener = h.listen(h.server(), accepted);
        Socket peer = h.rawClient(listener.localAddress());
        peer.getOutputStream().write(Bytes.ascii("request"));
        Bytes.Ending ending = Bytes.readUntilEnd(peer, 64);
        assertThat("answer").as("what the peer received before the reset").startsWith(Bytes.ascii(ending.data()));
        assertThat(ending.reset())
                .as("whether the peer saw its connection reset (ECONNRESET) after an abort that followed a flushed "
                        + "write in the same callback; an orderly end of stream means the abort closed with a FIN")
                .isTrue();
        Probe server = accepted.next();
        server.awaitClose();
        assertThat(server.events()).containsExactly(Event.OPEN, Event.READ, Event.CLOSE);
        server.assertContract();
    }

    void abortResetsTheConnectionOfAConnectedPeer() throws IOException {
        ServerSocket server = h.track(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        server.setSoTimeout((int) Waits.EVENT.toMillis());
        Probe client = Probe.recording();
        var connecting = h.client().connect(server.getLocalSocketAddress(), client);
        Socket peer = h.track(server.accept());
        peer.setSoTimeout((int) Waits.EVENT.toMillis());
        Connection connection = Waits.await(connecting, "connect");
        connection.writeAndFlush(Bytes.asciiBuffer("sent"));
        assertThat(Bytes.ascii(Bytes.readExactly(peer, 4))).isEqualTo("sent");
        connection.write(Bytes.asciiBuffer("queued, never sent"));
        connection.abort();
        assertReset(peer, "a blocking server whose client connection was aborted after writing");
        client.awaitClose();
        client.assertContract();
    }

    private static void assertReset(Socket peer, String who) throws IOException {
        Bytes.Ending ending = Bytes.readUntilEnd(peer, 64);
        assertThat(ending.data()).as("bytes %s received; abort drops what is queued", who).isEmpty();
        assertThat(ending.reset())
                .as("whether %s saw its connection reset (ECONNRESET); an orderly end of stream means abort closed "
                        + "with a FIN instead of a reset", who)
                .isTrue();
    }
}
