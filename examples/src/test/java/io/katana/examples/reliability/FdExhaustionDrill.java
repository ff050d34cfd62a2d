package io.katana.examples.reliability;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 5, item 3: the server runs under {@code ulimit -n limit} and gets far more connection
 * attempts than it has descriptors, each sending a request and keeping its connection. It must not
 * die, must not spin while the kernel's queue holds connections it cannot accept (CPU measured over a
 * window), must log the condition at most once per interval, and must serve again once the flood is
 * gone.
 *
 * <p>{@code main}: {@code backend fdLimit attempts exhaustedSeconds}; prints the figures.
 */
final class FdExhaustionDrill {
    /** How often the acceptors report failures, at most (EpollAcceptor, NioAcceptor). */
    static final int LOG_INTERVAL_SECONDS = 10;

    /**
     * @param cpuShare server CPU seconds per wall second while out of descriptors (1.0 = one core busy)
     * @param failureReports log lines about failed accepts during the whole run
     * @param secondsToServeAgain from closing the flood to the first answered request
     */
    record Result(String backend, int fdLimit, int attempts, int connected, boolean aliveThroughout, double cpuShare,
                  double exhaustedSeconds, long failureReports, double secondsToServeAgain, List<String> reports) {
        void print(PrintStream out) {
            out.printf("fd-exhaustion %s: ulimit -n %d, %d connection attempts (%d connected), alive: %s%n",
                    backend, fdLimit, attempts, connected, aliveThroughout ? "yes" : "NO");
            out.printf("fd-exhaustion %s: CPU while out of descriptors: %.3f s per s over %.1f s; %d failure"
                    + " report(s) in the log; served again %.2f s after the flood closed%n",
                    backend, cpuShare, exhaustedSeconds, failureReports, secondsToServeAgain);
            reports.forEach(line -> out.printf("fd-exhaustion %s: log: %s%n", backend, line));
        }
    }

    private FdExhaustionDrill() {}

    static Result run(String backend, int fdLimit, int attempts, Duration exhausted) throws Exception {
        try (ServerProcess server = ServerProcess.start(backend, List.of(),
                List.of("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Xss1m"), fdLimit)) {
            HttpWire.exchange(server.port(), "/plaintext", 10_000); // loads what serving needs, before the flood
            List<Socket> flood = new ArrayList<>();
            byte[] request = HttpWire.get("/plaintext");
            try {
                for (int i = 0; i < attempts; i++) {
                    try {
                        Socket socket = HttpWire.connect(server.port(), 1_000);
                        flood.add(socket);
                        socket.getOutputStream().write(request);
                    } catch (IOException e) {
                        // the kernel's queue is full: that attempt failed, the drill goes on
                    }
                }
                Thread.sleep(1_000); // into the back-off
                double cpuBefore = server.cpuSeconds();
                long start = System.nanoTime();
                Thread.sleep(exhausted.toMillis());
                double wall = (System.nanoTime() - start) / 1e9;
                double cpu = (server.cpuSeconds() - cpuBefore) / wall;
                boolean alive = server.isAlive();
                int connected = flood.size();
                for (Socket socket : flood) {
                    socket.close();
                }
                flood.clear();
                long closedAt = System.nanoTime();
                double servedAgain = -1;
                while (System.nanoTime() - closedAt < Duration.ofSeconds(30).toNanos()) {
                    try {
                        if (HttpWire.exchange(server.port(), "/plaintext", 2_000).status() == 200) {
                            servedAgain = (System.nanoTime() - closedAt) / 1e9;
                            break;
                        }
                    } catch (IOException e) {
                        Thread.sleep(50);
                    }
                }
                List<String> reports = server.log().stream().filter(line -> line.contains("accepting on")).toList();
                return new Result(server.backend(), fdLimit, attempts, connected, alive && server.isAlive(), cpu, wall,
                        reports.size(), servedAgain, reports);
            } finally {
                for (Socket socket : flood) {
                    socket.close();
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        run(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]), Duration.ofSeconds(Long.parseLong(args[3])))
                .print(System.out);
    }
}
