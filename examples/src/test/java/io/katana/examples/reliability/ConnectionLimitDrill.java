package io.katana.examples.reliability;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 5, item 5: {@code serve --max-connections limit}. The limit's worth of keep-alive clients
 * connect and are served; further clients are refused cleanly (closed without an answer, at once);
 * the admitted clients keep being served; once some leave, newcomers are admitted again.
 *
 * <p>{@code main}: {@code backend limit extra}; prints the figures.
 */
final class ConnectionLimitDrill {

    /**
     * @param refused extra clients the server closed without answering
     * @param answeredOverLimit extra clients that got an answer (must be 0)
     * @param keptServing admitted clients served again after the refusals
     * @param admittedAfterLeaving newcomers served after some admitted clients left
     */
    record Result(String backend, int limit, int extra, int admitted, int refused, int answeredOverLimit,
                  int keptServing, int admittedAfterLeaving, int leaving, double worstRefusalSeconds) {
        void print(PrintStream out) {
            out.printf("connection-limit %s: limit %d: %d admitted and served; of %d more, %d refused cleanly"
                            + " (slowest refusal %.3f s), %d answered; %d of %d admitted kept being served;"
                            + " %d of %d newcomers admitted after %d left%n", backend, limit, admitted, extra, refused,
                    worstRefusalSeconds, answeredOverLimit, keptServing, admitted, admittedAfterLeaving, leaving,
                    leaving);
        }
    }

    private ConnectionLimitDrill() {}

    static Result run(String backend, int limit, int extra) throws Exception {
        try (ServerProcess server = ServerProcess.start(backend,
                List.of("--max-connections", Integer.toString(limit)), List.of(), 0)) {
            List<Socket> admitted = new ArrayList<>();
            List<InputStream> inputs = new ArrayList<>();
            try {
                for (int i = 0; i < limit; i++) {
                    Socket socket = HttpWire.connect(server.port(), 10_000);
                    admitted.add(socket);
                    inputs.add(new BufferedInputStream(socket.getInputStream()));
                }
                int served = serveEach(admitted, inputs);
                int refused = 0;
                int answered = 0;
                double worst = 0;
                for (int i = 0; i < extra; i++) {
                    long start = System.nanoTime();
                    try (Socket socket = HttpWire.connect(server.port(), 10_000)) {
                        socket.getOutputStream().write(HttpWire.get("/plaintext"));
                        HttpWire.Response response = HttpWire.read(new BufferedInputStream(socket.getInputStream()));
                        if (response == null) {
                            refused++;
                        } else {
                            answered++;
                        }
                    } catch (IOException e) {
                        refused++; // reset or closed before the request was written: refused as well
                    }
                    worst = Math.max(worst, (System.nanoTime() - start) / 1e9);
                }
                int kept = serveEach(admitted, inputs);
                int leaving = Math.max(1, limit / 5);
                for (int i = 0; i < leaving; i++) {
                    admitted.removeLast().close();
                    inputs.removeLast();
                }
                int newcomers = 0;
                for (int i = 0; i < leaving; i++) {
                    if (servedEventually(server.port(), Duration.ofSeconds(5))) {
                        newcomers++;
                    }
                }
                return new Result(server.backend(), limit, extra, served, refused, answered, kept, newcomers, leaving,
                        worst);
            } finally {
                for (Socket socket : admitted) {
                    socket.close();
                }
            }
        }
    }

    /** One request on each connection; how many were answered correctly. */
    private static int serveEach(List<Socket> sockets, List<InputStream> inputs) {
        int served = 0;
        for (int i = 0; i < sockets.size(); i++) {
            try {
                sockets.get(i).getOutputStream().write(HttpWire.get("/plaintext"));
                HttpWire.Response response = HttpWire.read(inputs.get(i));
                if (response != null && BodyCheck.isExpected("/plaintext", response)) {
                    served++;
                }
            } catch (IOException e) {
                // not served: counted by the caller
            }
        }
        return served;
    }

    /** A new client served within {@code patience}: the server has seen the departures and admits again. */
    private static boolean servedEventually(int port, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (HttpWire.exchange(port, "/plaintext", 2_000).status() == 200) {
                    return true;
                }
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    public static void main(String[] args) throws Exception {
        run(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2])).print(System.out);
    }
}
