package io.katana.examples.reliability;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Many keep-alive clients at once, one virtual thread each: every client connects, makes its
 * requests on one connection checking each response, then holds the connection idle until {@link
 * #close()}. Connects are spread out (a bounded number in flight) so the listener's backlog is not
 * the thing under test.
 *
 * <p><b>Threading:</b> driven by one thread; the clients run on their own virtual threads.
 */
final class KeepAliveCrowd implements AutoCloseable {
    private static final int CONNECTS_IN_FLIGHT = 128;
    private static final byte[] REQUEST = HttpWire.get("/plaintext");

    private final CountDownLatch ready;
    private final CountDownLatch release = new CountDownLatch(1);
    private final LongAdder errors = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();

    /** Starts {@code connections} clients of {@code requests} requests each against {@code port}. */
    KeepAliveCrowd(int port, int connections, int requests) {
        ready = new CountDownLatch(connections);
        Semaphore connecting = new Semaphore(CONNECTS_IN_FLIGHT);
        for (int i = 0; i < connections; i++) {
            clients.submit(() -> client(port, requests, connecting));
        }
    }

    private void client(int port, int requests, Semaphore connecting) {
        Socket socket = null;
        try {
            connecting.acquire();
            try {
                socket = HttpWire.connect(port, 60_000);
            } finally {
                connecting.release();
            }
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 512);
            for (int r = 0; r < requests; r++) {
                out.write(REQUEST);
                HttpWire.Response response = HttpWire.read(in);
                if (response == null || response.status() != 200 || !response.text().equals("Hello, World!")) {
                    throw new IOException("unexpected answer: " + (response == null ? "none" : response.status()
                            + " " + response.text()));
                }
                answered.increment();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            errors.increment();
            firstError.compareAndSet(null, e.toString());
        } finally {
            ready.countDown();
        }
        try {
            release.await(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing: nothing left to do
            }
        }
    }

    /** Waits until every client has made its requests (or failed); false on timeout. */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    long errors() {
        return errors.sum();
    }

    long answered() {
        return answered.sum();
    }

    /** The first failure a client saw, or null. */
    String firstError() {
        return firstError.get();
    }

    /** Lets every client close its connection, and waits for them. */
    @Override
    public void close() throws InterruptedException {
        release.countDown();
        clients.shutdown();
        if (!clients.awaitTermination(2, TimeUnit.MINUTES)) {
            clients.shutdownNow();
        }
    }
}
