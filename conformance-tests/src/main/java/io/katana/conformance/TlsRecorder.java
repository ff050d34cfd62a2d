package io.katana.conformance;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A wrapped handler that records what its TLS connection hears: the plaintext, the end of input, the
 * close and its cause. Written on the reactor thread, read by the check's thread.
 */
class TlsRecorder implements ConnectionHandler {
    final CompletableFuture<Connection> opened = new CompletableFuture<>();
    final CompletableFuture<Void> inputClosed = new CompletableFuture<>();
    final CompletableFuture<Optional<Throwable>> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    @Override
    public void onOpen(Connection connection) {
        opened.complete(connection);
    }

    @Override
    public void onRead(Connection connection, ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        synchronized (received) {
            received.writeBytes(bytes);
        }
    }

    @Override
    public void onInputClosed(Connection connection) {
        inputClosed.complete(null);
        connection.close();
    }

    @Override
    public void onClose(Connection connection, Throwable cause) {
        closed.complete(Optional.ofNullable(cause));
    }

    byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    /** {@return the first {@code length} bytes, once that many arrived} */
    byte[] awaitBytes(int length, String what) {
        Waits.until(() -> received().length >= length, Waits.EVENT,
                () -> what + ": " + received().length + " of " + length + " bytes arrived");
        byte[] all = received();
        return java.util.Arrays.copyOf(all, length);
    }

    /** {@return the close's cause, or null for an orderly close} */
    Throwable awaitClose(String what) {
        return Waits.await(closed, Duration.ofSeconds(10), what).orElse(null);
    }
}
