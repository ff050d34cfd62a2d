package io.katana.examples.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Issue 5, item 1, in Java (the script also runs {@code slowhttptest}): slow-header (slowloris),
 * slow-body and slow-read attackers against a server with short timeouts, while a normal client asks
 * every 100 ms. The service must stay available throughout, and the server must cut every attacker:
 * slow headers by the header timeout, slow bodies and unread responses by the idle timeout.
 *
 * <p>{@code main}: {@code backend attackersPerMode seconds headerTimeout idleTimeout}; prints the figures.
 */
final class SlowClientsDrill {

    /** One attack mode's outcome: how many attackers, how many the server cut, and the longest any lived. */
    record Mode(String name, long attackers, long cut, double longestLifeSeconds) {}

    /**
     * @param probes normal requests made during the attack
     * @param probesAnswered of them answered correctly within 2 s
     */
    record Result(String backend, int headerTimeout, int idleTimeout, long probes, long probesAnswered,
                  double slowestProbeSeconds, List<Mode> modes) {
        void print(PrintStream out) {
            out.printf("slow-clients %s: header timeout %d s, idle timeout %d s: normal client %d of %d answered"
                            + " (availability %.1f %%), slowest %.3f s%n", backend, headerTimeout, idleTimeout,
                    probesAnswered, probes, 100.0 * probesAnswered / Math.max(1, probes), slowestProbeSeconds);
            for (Mode mode : modes) {
                out.printf("slow-clients %s: %s: %d attackers, %d cut by the server, the longest lived %.1f s%n",
                        backend, mode.name(), mode.attackers(), mode.cut(), mode.longestLifeSeconds());
            }
        }
    }

    private SlowClientsDrill() {}

    static Result run(String backend, int attackersPerMode, Duration attack, int headerTimeout, int idleTimeout)
            throws Exception {
        try (ServerProcess server = ServerProcess.start(backend, List.of("--header-timeout", Integer.toString(headerTimeout),
                "--idle-timeout", Integer.toString(idleTimeout)), List.of(), 0)) {
            int port = server.port();
            long end = System.nanoTime() + attack.toNanos();
            Attack slowHeaders = new Attack("slow headers", port, true);
            Attack slowBody = new Attack("slow body", port, true);
            Attack slowRead = new Attack("slow read", port, false);
            LongAdder probes = new LongAdder();
            LongAdder answered = new LongAdder();
            LongAccumulator slowest = new LongAccumulator(Math::max, 0);
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < attackersPerMode; i++) {
                    threads.submit(() -> slowHeaders.run(end, socket -> {
                        OutputStream out = socket.getOutputStream();
                        out.write(HttpWire.ascii("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
                        for (int line = 0; ; line++) {
                            out.write(HttpWire.ascii("X-a" + line + ": b\r\n")); // never the blank line
                            out.flush();
                            Thread.sleep(1_000);
                        }
                    }));
                    threads.submit(() -> slowBody.run(end, socket -> {
                        OutputStream out = socket.getOutputStream();
                        out.write(HttpWire.ascii("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n\r\n"));
                        while (true) {
                            out.write('x');
                            out.flush();
                            Thread.sleep((idleTimeout + 1) * 1_000L); // longer than the server waits for more body
                        }
                    }));
                    threads.submit(() -> slowRead.run(end, socket -> {
                        OutputStream out = socket.getOutputStream();
                        byte[] request = HttpWire.get("/chunked?kb=1024");
                        while (true) {
                            out.write(request); // asks for more and more, reads nothing
                            Thread.sleep(200);
                        }
                    }));
                }
                threads.submit(() -> {
                    while (System.nanoTime() < end) {
                        long start = System.nanoTime();
                        probes.increment();
                        try {
                            if (BodyCheck.isExpected("/plaintext", HttpWire.exchange(port, "/plaintext", 2_000))) {
                                answered.increment();
                            }
                        } catch (IOException e) {
                            // unavailable: not counted as answered
                        }
                        slowest.accumulate(System.nanoTime() - start);
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return null;
                        }
                    }
                    return null;
                });
            }
            return new Result(server.backend(), headerTimeout, idleTimeout, probes.sum(), answered.sum(),
                    slowest.get() / 1e9, List.of(slowHeaders.outcome(), slowBody.outcome(), slowRead.outcome()));
        }
    }

    /** What an attacker does on its connection until the server cuts it (an I/O failure) or the attack ends. */
    @FunctionalInterface
    private interface Behaviour {
        void play(Socket socket) throws IOException, InterruptedException;
    }

    /**
     * The attackers of one mode and what became of them. An attacker that sends watches its input: the
     * server's answer and close (or reset) end it. A slow reader reads nothing; its blocked write fails
     * when the server resets the connection.
     */
    private static final class Attack {
        private final String name;
        private final int port;
        private final boolean watchInput;
        private final LongAdder attackers = new LongAdder();
        private final LongAdder cut = new LongAdder();
        private final LongAccumulator longestLife = new LongAccumulator(Math::max, 0);

        Attack(String name, int port, boolean watchInput) {
            this.name = name;
            this.port = port;
            this.watchInput = watchInput;
        }

        /** Attacks once; returns null (for submit as a Callable). */
        Void run(long end, Behaviour behaviour) {
            attackers.increment();
            long start = System.nanoTime();
            Socket socket = new Socket();
            try (socket) {
                socket.setReceiveBufferSize(4096); // a slow reader's small window
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                Thread.ofVirtual().start(() -> closeAt(socket, end));
                if (watchInput) {
                    Thread.ofVirtual().start(() -> watch(socket, start, end));
                }
                behaviour.play(socket);
            } catch (IOException e) {
                if (!watchInput) {
                    cutAt(start, end);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }

        private void watch(Socket socket, long start, long end) {
            try {
                InputStream in = socket.getInputStream();
                while (in.read() >= 0) {
                    // the server's 408, if any: read on to its close
                }
                cutAt(start, end);
                socket.close(); // ends the attacker's next write
            } catch (IOException e) {
                cutAt(start, end); // reset by the server, or closed by closeAt (then past the end)
            }
        }

        private void cutAt(long start, long end) {
            long now = System.nanoTime();
            if (now < end) {
                cut.increment();
                longestLife.accumulate(now - start);
            }
        }

        Mode outcome() {
            return new Mode(name, attackers.sum(), cut.sum(), longestLife.get() / 1e9);
        }

        private static void closeAt(Socket socket, long end) {
            try {
                TimeUnit.NANOSECONDS.sleep(Math.max(0, end - System.nanoTime()));
                socket.close();
            } catch (IOException | InterruptedException e) {
                // the attack is over either way
            }
        }
    }

    public static void main(String[] args) throws Exception {
        run(args[0], Integer.parseInt(args[1]), Duration.ofSeconds(Long.parseLong(args[2])),
                Integer.parseInt(args[3]), Integer.parseInt(args[4])).print(System.out);
    }
}
