package io.katana.conformance;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Blocking-socket probes of what a backend left listening.
 *
 * <p>Threading: stateless; any thread.
 */
final class Peers {

    private Peers() {}

    /**
     * Fails unless a connect to {@code address} is refused. A connection to itself (TCP simultaneous
     * open, possible when the kernel picks the closed port as the client's own port) proves nothing
     * either way and is retried.
     */
    static void assertRefused(InetSocketAddress address, String when) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            try (Socket socket = new Socket()) {
                socket.connect(address, (int) Waits.EVENT.toMillis());
                if (socket.getLocalPort() == address.getPort()) {
                    continue;
                }
                throw new AssertionError("a connect to " + address + " succeeded " + when + " (from local port "
                        + socket.getLocalPort() + "): something still listens there");
            } catch (ConnectException expected) {
                return;
            }
        }
        throw new AssertionError("every connect to " + address + " " + when + " connected to itself");
    }
}
