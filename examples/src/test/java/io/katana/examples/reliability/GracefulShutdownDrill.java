package io.katana.examples.reliability;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Issue 5, item 6: SIGTERM under load. Clients keep keep-alive connections busy with large streamed
 * bodies, late answers and small ones, checking every body byte; the server gets SIGTERM mid-load.
 * It must stop accepting, finish what is in flight, close idle connections and exit within its drain
 * time, and no response may be cut: a response either arrives whole or never starts (a request that
 * met a connection the server was closing as idle; HTTP clients retry those).
 *
 * <p>{@code main}: {@code backend clients loadSeconds drainSeconds}; prints the figures.
 */
final class GracefulShutdownDrill {
    private static final String[] TARGETS = {"/chunked?kb=512", "/delay?ms=400", "/plaintext", "/chunked?kb=64", "/json"};

    /**
     * @param completedAfterSignal responses completed after SIGTERM (in-flight ones finished)
     * @param cut responses that started but did not arrive whole, or arrived wrong
     * @param dropped requests sent before SIGTERM that never got an answer
     * @param unanswered requests whose connection closed before their response began
     * @param secondsToExit from SIGTERM to the process's end
     */
    record Result(String backend, long completed, long completedAfterSignal, long cut, long dropped,
                  String firstCut, long unanswered, long refusedAfterSignal, double secondsToExit, int drainSeconds,
                  boolean exited) {
        void print(PrintStream out) {
            out.printf("graceful-shutdown %s: %d responses whole (%d completed after SIGTERM), %d cut, %d in flight"
                            + " at SIGTERM but dropped (first problem: %s); %d requests sent after SIGTERM met a"
                            + " connection closed as idle; %d connects refused after SIGTERM%n",
                    backend, completed, completedAfterSignal, cut, dropped, firstCut, unanswered, refusedAfterSignal);
            out.printf("graceful-shutdown %s: exited %.2f s after SIGTERM (drain limit %d s): %s%n",
                    backend, secondsToExit, drainSeconds, exited ? "yes" : "NO");
        }
    }

    private GracefulShutdownDrill() {}

    /**
     * A request got no response. Sent after SIGTERM, it met a connection being closed as idle (the
     * race every keep-alive client must retry); sent before, it was in flight and has been dropped.
     */
    private static void unanswered(long sentAt, Long signalledAt, LongAdder unanswered, LongAdder dropped,
                                   AtomicReference<String> firstProblem, String what) {
        if (signalledAt == null || sentAt - signalledAt < 0) {
            dropped.increment();
            firstProblem.compareAndSet(null, "in flight at SIGTERM, never answered: " + what);
        } else {
            unanswered.increment();
        }
    }

    static Result run(String backend, int clients, Duration load, int drainSeconds) throws Exception {
        LongAdder completed = new LongAdder();
        LongAdder completedAfter = new LongAdder();
        LongAdder cut = new LongAdder();
        LongAdder unanswered = new LongAdder();
        LongAdder refused = new LongAdder();
        LongAdder dropped = new LongAdder();
        AtomicReference<String> firstCut = new AtomicReference<>();
        AtomicReference<Long> signalledAt = new AtomicReference<>();
        try (ServerProcess server = ServerProcess.start(backend,
                List.of("--drain", Integer.toString(drainSeconds)), List.of(), 0)) {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int first = i;
                threads.add(Thread.ofPlatform().name("shutdown-client-" + i).start(() -> {
                    int next = first;
                    while (true) {
                        long sentAt = 0; // when the outstanding request was sent; 0 when none is
                        try (Socket socket = HttpWire.connect(server.port(), 30_000)) {
                            OutputStream out = socket.getOutputStream();
                            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                            while (true) {
                                String target = TARGETS[next++ % TARGETS.length];
                                sentAt = System.nanoTime();
                                out.write(HttpWire.get(target));
                                HttpWire.Response response;
                                try {
                                    response = HttpWire.read(in);
                                } catch (HttpWire.TruncatedResponseException e) {
                                    cut.increment();
                                    firstCut.compareAndSet(null, target + ": " + e.getMessage());
                                    break;
                                }
                                if (response == null) {
                                    unanswered(sentAt, signalledAt.get(), unanswered, dropped, firstCut, target);
                                    sentAt = 0;
                                    break;
                                }
                                sentAt = 0;
                                if (!BodyCheck.isExpected(target, response)) {
                                    cut.increment();
                                    firstCut.compareAndSet(null, target + ": wrong body of " + response.body().length
                                            + " bytes, status " + response.status());
                                    break;
                                }
                                completed.increment();
                                if (signalledAt.get() != null) {
                                    completedAfter.increment();
                                }
                                if (response.closes()) {
                                    break;
                                }
                            }
                        } catch (ConnectException e) {
                            if (signalledAt.get() != null) {
                                refused.increment();
                                return; // the server stopped accepting: done
                            }
                            cut.increment();
                            firstCut.compareAndSet(null, "refused before SIGTERM: " + e);
                            return;
                        } catch (IOException e) {
                            // Reset before any byte of the response came.
                            if (sentAt != 0) {
                                unanswered(sentAt, signalledAt.get(), unanswered, dropped, firstCut, e.toString());
                            }
                        }
                        if (signalledAt.get() != null && !server.isAlive()) {
                            return;
                        }
                    }
                }));
            }
            Thread.sleep(load.toMillis());
            long signalled = System.nanoTime();
            signalledAt.set(signalled);
            server.terminate();
            int status = server.awaitExit(Duration.ofSeconds(drainSeconds + 30L));
            double seconds = (System.nanoTime() - signalled) / 1e9;
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            }
            return new Result(server.backend(), completed.sum(), completedAfter.sum(), cut.sum(), dropped.sum(),
                    firstCut.get(),
                    unanswered.sum(), refused.sum(), seconds, drainSeconds, status != -1);
        }
    }

    public static void main(String[] args) throws Exception {
        run(args[0], Integer.parseInt(args[1]), Duration.ofSeconds(Long.parseLong(args[2])), Integer.parseInt(args[3]))
                .print(System.out);
    }
}
