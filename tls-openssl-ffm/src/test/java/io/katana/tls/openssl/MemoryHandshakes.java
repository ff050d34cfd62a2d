package io.katana.tls.openssl;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * Drives a client and a server engine against each other in memory, as the TLS layer would over a
 * socket: each side wraps while it needs to, the other unwraps what arrived. Counts the FINISHED
 * statuses each side reported.
 */
final class MemoryHandshakes {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    final ByteBuffer toServer = ByteBuffer.allocateDirect(64 * 1024);
    final ByteBuffer toClient = ByteBuffer.allocateDirect(64 * 1024);
    final ByteBuffer plaintext = ByteBuffer.allocateDirect(64 * 1024);
    int clientFinished;
    int serverFinished;

    /** Runs the handshake to its end on both sides, then lets the client read what the server sent after it. */
    void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        toServer.clear();
        toClient.clear();
        clientFinished = 0;
        serverFinished = 0;
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 20; round++) {
            clientFinished += step(client, toClient, toServer);
            serverFinished += step(server, toServer, toClient);
            if (client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                    && server.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING && clientFinished > 0
                    && serverFinished > 0 && toServer.position() == 0 && toClient.position() == 0) {
                return;
            }
        }
        throw new AssertionError("no handshake after 20 rounds: client " + client.getHandshakeStatus() + ", server "
                + server.getHandshakeStatus());
    }

    /** Unwraps what arrived for {@code engine}, then wraps what it has to say; returns the FINISHED seen. */
    int step(SSLEngine engine, ByteBuffer in, ByteBuffer out) throws SSLException {
        int finished = 0;
        in.flip();
        try {
            while (in.hasRemaining()) {
                plaintext.clear();
                SSLEngineResult result = engine.unwrap(in, plaintext);
                finished += result.getHandshakeStatus() == HandshakeStatus.FINISHED ? 1 : 0;
                if (result.bytesConsumed() == 0) {
                    break;
                }
            }
        } finally {
            in.compact();
        }
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            SSLEngineResult result = engine.wrap(NOTHING, out);
            finished += result.getHandshakeStatus() == HandshakeStatus.FINISHED ? 1 : 0;
            if (result.bytesProduced() == 0) {
                break;
            }
        }
        return finished;
    }
}
