package io.katana.examples.reliability;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Issue 5, item 8: mixed load for a while: keep-alive clients, pipelined batches, connection churn,
 * malformed requests (each must get its 400 and the close) and slow but legitimate clients (a head
 * trickled in over half a second). Every answer is checked; the server's resident memory and
 * descriptors are sampled, and their growth after the warm-up (the first fifth) must stay small.
 *
 * <p>{@code main}: {@code backend seconds}; prints the figures.
 */
final class SoakDrill {
    private static final int PIPELINE_DEPTH = 16;

    /** One sample of the server. */
    record Sample(double atSeconds, long residentKib, long descriptors) {}

    /**
     * @param rssGrowth resident memory growth from the end of the warm-up to the end, as a fraction
     * @param descriptorGrowth descriptors once the load ended, against before it began, as a fraction
     * @param peakDescriptors the most descriptors seen after the warm-up (connections in flight included)
     */
    record Result(String backend, double seconds, long exchanges, long unexpected, String firstUnexpected,
                  List<Sample> samples, double rssGrowth, double descriptorGrowth, long peakDescriptors) {
        void print(PrintStream out) {
            out.printf("soak %s: %.0f s, %d checked exchanges, %d unexpected (first: %s)%n", backend, seconds,
                    exchanges, unexpected, firstUnexpected);
            out.printf("soak %s: RSS grew %.1f %% after the warm-up (peak or end against the end of warm-up);"
                    + " descriptors %+.1f %% once the load ended (peak %d during it)%n", backend, 100 * rssGrowth,
                    100 * descriptorGrowth, peakDescriptors);
            StringBuilder line = new StringBuilder();
            for (Sample sample : samples) {
                line.append(String.format(" %.0fs:%dMiB/%dfd", sample.atSeconds(), sample.residentKib() / 1024,
                        sample.descriptors()));
            }
            out.printf("soak %s: samples (time: RSS/descriptors):%s%n", backend, line);
        }
    }

    private SoakDrill() {}

    static Result run(String backend, Duration length) throws Exception {
        try (ServerProcess server = ServerProcess.start(backend,
                List.of("--header-timeout", "5", "--idle-timeout", "10"), List.of("-Xmx256m"), 0)) {
            int port = server.port();
            long start = System.nanoTime();
            long end = start + length.toNanos();
            LongAdder exchanges = new LongAdder();
            LongAdder unexpected = new LongAdder();
            AtomicReference<String> first = new AtomicReference<>();
            long descriptorsBefore = server.openDescriptors();
            List<Thread> workers = new ArrayList<>();
            List<Worker> kinds = List.of(SoakDrill::keepAlive, SoakDrill::keepAlive, SoakDrill::pipelined,
                    SoakDrill::churn, SoakDrill::malformed, SoakDrill::slow, SoakDrill::slow, SoakDrill::streamed);
            for (Worker kind : kinds) {
                workers.add(Thread.ofPlatform().daemon(true).start(() -> {
                    while (System.nanoTime() < end) {
                        try {
                            exchanges.add(kind.work(port, end));
                        } catch (IOException | RuntimeException e) {
                            unexpected.increment();
                            first.compareAndSet(null, e.toString());
                        }
                    }
                }));
            }
            List<Sample> samples = new ArrayList<>();
            long step = Math.max(1, length.toNanos() / 30);
            while (System.nanoTime() < end) {
                Thread.sleep(step / 1_000_000);
                samples.add(new Sample((System.nanoTime() - start) / 1e9, server.residentKib(), server.openDescriptors()));
            }
            for (Thread worker : workers) {
                worker.join(60_000);
            }
            Thread.sleep(1_000); // the last connections close
            samples.add(new Sample((System.nanoTime() - start) / 1e9, server.residentKib(), server.openDescriptors()));
            Sample warm = samples.get(Math.max(0, samples.size() / 5 - 1));
            Sample last = samples.getLast();
            long peakRss = samples.subList(samples.indexOf(warm), samples.size()).stream()
                    .mapToLong(Sample::residentKib).max().orElse(warm.residentKib());
            long peakFds = samples.subList(samples.indexOf(warm), samples.size()).stream()
                    .mapToLong(Sample::descriptors).max().orElse(warm.descriptors());
            if (!server.isAlive()) {
                unexpected.increment();
                first.compareAndSet(null, "the server died");
            }
            return new Result(server.backend(), (System.nanoTime() - start) / 1e9, exchanges.sum(), unexpected.sum(),
                    first.get(), samples, (Math.max(peakRss, last.residentKib()) - warm.residentKib())
                            / (double) warm.residentKib(),
                    (last.descriptors() - descriptorsBefore) / (double) descriptorsBefore, peakFds);
        }
    }

    /** One round of a kind of client; returns the exchanges it checked, throws on anything unexpected. */
    @FunctionalInterface
    private interface Worker {
        long work(int port, long end) throws IOException;
    }

    private static long keepAlive(int port, long end) throws IOException {
        try (Socket socket = HttpWire.connect(port, 10_000)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            long done = 0;
            for (int i = 0; i < 1_000 && System.nanoTime() < end; i++) {
                String target = i % 2 == 0 ? "/plaintext" : "/json";
                out.write(HttpWire.get(target));
                expect(target, HttpWire.read(in));
                done++;
            }
            return done;
        }
    }

    private static long pipelined(int port, long end) throws IOException {
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < PIPELINE_DEPTH; i++) {
            batch.append("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        }
        byte[] bytes = HttpWire.ascii(batch.toString());
        try (Socket socket = HttpWire.connect(port, 10_000)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            long done = 0;
            for (int round = 0; round < 100 && System.nanoTime() < end; round++) {
                out.write(bytes);
                for (int i = 0; i < PIPELINE_DEPTH; i++) {
                    expect("/plaintext", HttpWire.read(in));
                    done++;
                }
            }
            return done;
        }
    }

    private static long churn(int port, long end) throws IOException {
        long done = 0;
        for (int i = 0; i < 100 && System.nanoTime() < end; i++) {
            expect("/", HttpWire.exchange(port, "/", 10_000));
            done++;
        }
        return done;
    }

    private static final String[] MALFORMED = {
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\n folded: x\r\n\r\n",
        "GET /\u0001 HTTP/1.1\r\nHost: a\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "GET / HTTP/1.1\rHost: a\r\n\r\n",
    };

    private static long malformed(int port, long end) throws IOException {
        long done = 0;
        for (String request : MALFORMED) {
            try (Socket socket = HttpWire.connect(port, 10_000)) {
                socket.getOutputStream().write(HttpWire.ascii(request));
                HttpWire.Response response = HttpWire.read(new BufferedInputStream(socket.getInputStream()));
                if (response == null || response.status() != 400 || !response.closes()) {
                    throw new IOException("malformed request got " + (response == null ? "no answer"
                            : response.status() + (response.closes() ? "" : " without Connection: close")));
                }
                done++;
            }
        }
        return done;
    }

    private static long slow(int port, long end) throws IOException {
        byte[] request = HttpWire.get("/plaintext");
        try (Socket socket = HttpWire.connect(port, 10_000)) {
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < request.length; i += 8) {
                out.write(request, i, Math.min(8, request.length - i));
                out.flush();
                sleep(500 / (request.length / 8));
            }
            expect("/plaintext", HttpWire.read(new BufferedInputStream(socket.getInputStream())));
            return 1;
        }
    }

    private static long streamed(int port, long end) throws IOException {
        expect("/chunked?kb=256", HttpWire.exchange(port, "/chunked?kb=256", 10_000));
        return 1;
    }

    private static void expect(String target, HttpWire.Response response) throws IOException {
        if (response == null || !BodyCheck.isExpected(target, response)) {
            throw new IOException(target + " got " + (response == null ? "no answer" : "status " + response.status()
                    + " with " + response.body().length + " bytes"));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        run(args[0], Duration.ofSeconds(Long.parseLong(args[1]))).print(System.out);
    }
}
