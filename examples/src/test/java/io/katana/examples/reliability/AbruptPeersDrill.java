package io.katana.examples.reliability;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Issue 5, item 4: peers that leave abruptly. Each connection plays one of these, in turn:
 * a reset in the middle of a request head; a reset in the middle of a pipelined batch; a reset in the
 * middle of a large chunked response; a half-close right after a request (whose response must still
 * arrive whole, followed by the close); a client that vanishes mid-head or mid-body with a FIN; one
 * that connects and leaves without a byte. After a warm-up round the server's descriptors and native
 * memory are the baseline; after the measured round they must be back at it.
 *
 * <p>{@code main}: {@code backend connections}; prints the figures.
 */
final class AbruptPeersDrill {
    private static final int CONCURRENT = 64;
    private static final int PATTERNS = 7;
    private static final byte[] PIPELINED = pipelined(16);

    /** Server state at one moment. */
    record Snapshot(long descriptors, long otherNativeBytes, long residentKib) {}

    /**
     * @param halfCloseFailures half-closing clients whose response did not arrive whole, then the close
     */
    record Result(String backend, int connections, long halfCloseFailures, String firstFailure, Snapshot baseline,
                  Snapshot after, boolean alive, long serverErrorsLogged) {
        void print(PrintStream out) {
            out.printf("abrupt-peers %s: %d abrupt connections, %d half-close failures (first: %s), server alive: %s,"
                    + " %d ERROR lines logged%n", backend, connections, halfCloseFailures, firstFailure,
                    alive ? "yes" : "NO", serverErrorsLogged);
            out.printf("abrupt-peers %s: descriptors %d -> %d, native (NMT Other) %d -> %d KiB, RSS %d -> %d KiB%n",
                    backend, baseline.descriptors(), after.descriptors(), baseline.otherNativeBytes() / 1024,
                    after.otherNativeBytes() / 1024, baseline.residentKib(), after.residentKib());
        }
    }

    private AbruptPeersDrill() {}

    static Result run(String backend, int connections) throws Exception {
        try (ServerProcess server = ServerProcess.start(backend, List.of("--header-timeout", "2", "--idle-timeout", "3"),
                List.of("-XX:NativeMemoryTracking=summary", "-Xss1m"), 0)) {
            LongAdder failures = new LongAdder();
            AtomicReference<String> firstFailure = new AtomicReference<>();
            round(server.port(), Math.min(connections, 20_000), failures, firstFailure); // pools and caches fill up
            Snapshot baseline = settle(server);
            failures.reset();
            round(server.port(), connections, failures, firstFailure);
            Snapshot after = settle(server);
            long errors = server.log().stream().filter(line -> line.contains("ERROR")).count();
            return new Result(server.backend(), connections, failures.sum(), firstFailure.get(), baseline, after,
                    server.isAlive(), errors);
        }
    }

    private static void round(int port, int connections, LongAdder failures, AtomicReference<String> firstFailure)
            throws InterruptedException {
        Semaphore slots = new Semaphore(CONCURRENT);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < connections; i++) {
                int pattern = i % PATTERNS;
                slots.acquire();
                clients.submit(() -> {
                    try {
                        play(port, pattern);
                    } catch (IOException | RuntimeException e) {
                        if (pattern == 3) {
                            failures.increment();
                            firstFailure.compareAndSet(null, e.toString());
                        }
                        // other patterns: the client's own abrupt end may fail its calls; that is the point
                    } finally {
                        slots.release();
                    }
                });
            }
        }
    }

    private static void play(int port, int pattern) throws IOException {
        try (Socket socket = HttpWire.connect(port, 10_000)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            switch (pattern) {
                case 0 -> { // reset mid-request head
                    out.write(HttpWire.ascii("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: "));
                    reset(socket);
                }
                case 1 -> { // reset mid-pipelined batch: some responses read, the rest and half a request left
                    out.write(PIPELINED);
                    out.write(HttpWire.ascii("GET /plaintext HTTP/1.1\r\nHo"));
                    HttpWire.read(in);
                    reset(socket);
                }
                case 2 -> { // reset mid-large chunked response
                    out.write(HttpWire.get("/chunked?kb=4096"));
                    in.readNBytes(64 * 1024);
                    reset(socket);
                }
                case 3 -> { // half-close right after a request: the response still arrives, then the close
                    out.write(HttpWire.get("/plaintext"));
                    socket.shutdownOutput();
                    HttpWire.Response response = HttpWire.read(in);
                    if (response == null || !BodyCheck.isExpected("/plaintext", response)) {
                        throw new IOException("half-closed client got " + (response == null ? "no response" : response));
                    }
                    if (in.read() >= 0) {
                        throw new IOException("half-closed client: the server sent more than the response");
                    }
                }
                case 4 -> out.write(HttpWire.ascii("GET /plaintext HTTP/1.1\r\nHost: 127.")); // vanishes mid-head (FIN)
                case 5 -> out.write(HttpWire.ascii( // vanishes mid-body (FIN)
                        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(3000)));
                default -> { } // connects and leaves without a byte
            }
        }
    }

    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0); // close sends RST
        socket.close();
    }

    private static byte[] pipelined(int count) {
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < count; i++) {
            batch.append(i % 2 == 0 ? "GET /plaintext" : "GET /json").append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        }
        return HttpWire.ascii(batch.toString());
    }

    /** Waits until the server's descriptor count is stable for two seconds, then measures. */
    private static Snapshot settle(ServerProcess server) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long previous = -1;
        int stable = 0;
        while (System.nanoTime() < deadline && stable < 10) {
            long now = server.openDescriptors();
            stable = now == previous ? stable + 1 : 0;
            previous = now;
            TimeUnit.MILLISECONDS.sleep(200);
        }
        JvmMemory memory = JvmMemory.of(server, true);
        return new Snapshot(server.openDescriptors(), memory.otherNativeBytes(), server.residentKib());
    }

    public static void main(String[] args) throws Exception {
        run(args[0], Integer.parseInt(args[1])).print(System.out);
    }
}
