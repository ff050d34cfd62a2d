package io.katana.benchmarks;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a message, waits for all of it to come back, and sends it again, a given number of times,
 * entirely on the client reactor's thread.
 *
 * <p><b>Threading:</b> {@link #start} from any thread while no run is in progress; the callbacks on
 * the connection's reactor thread.
 */
final class PingPongClient implements ConnectionHandler {
    private final ByteBuffer message;
    private int awaitedBytes;
    private int remainingTrips;
    private CompletableFuture<Void> done;
    private Connection connection;

    PingPongClient(int messageBytes) {
        message = ByteBuffer.allocateDirect(messageBytes);
        for (int i = 0; i < messageBytes; i++) {
            message.put(i, (byte) ('a' + i % 26));
        }
    }

    @Override
    public void onOpen(Connection opened) {
        connection = opened;
    }

    /** Runs {@code trips} round trips; the future completes when the last echo has fully arrived. */
    CompletableFuture<Void> start(Connection on, int trips) {
        CompletableFuture<Void> finished = new CompletableFuture<>();
        on.reactor().execute(() -> {
            done = finished;
            remainingTrips = trips;
            send();
        });
        return finished;
    }

    private void send() {
        awaitedBytes = message.capacity();
        connection.write(message.clear());
        connection.flush();
    }

    @Override
    public void onRead(Connection from, ByteBuffer data) {
        awaitedBytes -= data.remaining();
        data.position(data.limit());
        if (awaitedBytes > 0) {
            return;
        }
        if (--remainingTrips > 0) {
            send();
        } else {
            done.complete(null);
        }
    }

    @Override
    public void onClose(Connection closed, Throwable cause) {
        if (done != null && !done.isDone()) {
            done.completeExceptionally(new IllegalStateException("the echo connection closed mid-run", cause));
        }
    }
}
