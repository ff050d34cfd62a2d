package io.katana.examples.reliability;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Issue 5, item 2: many concurrent keep-alive connections served without an error, and what one idle
 * connection costs the server. A warm-up crowd first (so JIT, class loading and pools are settled),
 * then a baseline of the server's live heap and native memory, then the measured crowd: its
 * connections made their requests and sit idle while the server is measured again; the difference
 * divided by the crowd is the cost of one idle connection.
 *
 * <p>{@code main}: {@code backend connections requests}; prints the figures.
 */
final class ManyConnectionsDrill {

    /**
     * @param heapBytesPerIdleConnection live heap per idle connection
     * @param nativeBytesPerIdleConnection NMT "Other" (direct buffers, native segments) per idle connection
     * @param descriptorsPerConnection server descriptors per connection
     */
    record Result(String backend, int connections, long answered, long errors, String firstError,
                  double secondsToServeAll, double heapBytesPerIdleConnection, double nativeBytesPerIdleConnection,
                  double descriptorsPerConnection, Map<String, Long> nativeDeltaKib, List<String> heapGrowth) {
        void print(PrintStream out) {
            out.printf("many-connections %s: %d connections, %d responses, %d errors (first: %s), served all in %.1f s%n",
                    backend, connections, answered, errors, firstError, secondsToServeAll);
            out.printf("many-connections %s: idle connection costs %.0f B heap + %.0f B native (NMT Other) = %.0f B;"
                            + " %.2f descriptors each%n", backend, heapBytesPerIdleConnection,
                    nativeBytesPerIdleConnection, heapBytesPerIdleConnection + nativeBytesPerIdleConnection,
                    descriptorsPerConnection);
            out.printf("many-connections %s: NMT committed change by category (KiB): %s%n", backend, nativeDeltaKib);
            out.printf("many-connections %s: live heap growth by class (bytes, all idle connections): %s%n",
                    backend, heapGrowth);
        }
    }

    private ManyConnectionsDrill() {}

    static Result run(String backend, int connections, int requests) throws IOException, InterruptedException {
        try (ServerProcess server = ServerProcess.start(backend, List.of(),
                List.of("-XX:NativeMemoryTracking=summary", "-Xss1m"), 0)) {
            Duration patience = Duration.ofMinutes(3);
            try (KeepAliveCrowd warmUp = new KeepAliveCrowd(server.port(), connections, requests)) {
                if (!warmUp.awaitReady(patience)) {
                    throw new IOException("the warm-up crowd did not finish within " + patience);
                }
            }
            long idleDescriptors = awaitDescriptorsSettled(server);
            JvmMemory before = JvmMemory.of(server, true);
            long start = System.nanoTime();
            KeepAliveCrowd crowd = new KeepAliveCrowd(server.port(), connections, requests);
            try (crowd) {
                if (!crowd.awaitReady(patience)) {
                    throw new IOException("the crowd did not finish within " + patience);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                long busyDescriptors = server.openDescriptors();
                JvmMemory after = JvmMemory.of(server, true);
                Map<String, Long> delta = new java.util.LinkedHashMap<>();
                after.nativeCommittedKib().forEach((name, kib) -> {
                    long change = kib - before.nativeCommittedKib().getOrDefault(name, 0L);
                    if (change != 0) {
                        delta.put(name, change);
                    }
                });
                return new Result(server.backend(), connections, crowd.answered(), crowd.errors(), crowd.firstError(),
                        seconds, (after.liveHeapBytes() - before.liveHeapBytes()) / (double) connections,
                        (after.otherNativeBytes() - before.otherNativeBytes()) / (double) connections,
                        (busyDescriptors - idleDescriptors) / (double) connections, delta,
                        after.largestGrowth(before, 24));
            }
        }
    }

    /** Waits until the server's descriptor count stops falling (closed connections released). */
    private static long awaitDescriptorsSettled(ServerProcess server) throws IOException, InterruptedException {
        long previous = server.openDescriptors();
        for (int i = 0; i < 100; i++) {
            Thread.sleep(200);
            long now = server.openDescriptors();
            if (now == previous) {
                return now;
            }
            previous = now;
        }
        return previous;
    }

    public static void main(String[] args) throws Exception {
        run(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2])).print(System.out);
    }
}
