package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katana.reactor.spi.ReactorProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Streamed {@code multipart/form-data} uploads through a blocking streaming route that writes each
 * file to a counting sink: the body is generated on the fly and never held, and the heap stays
 * bounded whatever its size. On every backend; with curl {@code -F} too when curl is on the PATH.
 */
class HttpServerMultipartUploadTest {

    private static final String PROVIDERS = "io.katana.http.ProviderServers#providers";
    private static final String BOUNDARY = "----KatanaTestBoundary7MA4YWxkTrZu0gW";
    /** Live heap allowed above the baseline while an upload of any size goes through. */
    private static final long HEAP_BOUND = 16L << 20;
    private static final long SAMPLE_EVERY = 16L << 20;

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** Live heap after a full collection, sampled from the route while the upload flows. */
    private final AtomicLong peakLiveHeap = new AtomicLong();

    private HttpServer.Builder routes(HttpServer.Builder builder) {
        return builder.route(HttpMethod.POST, "/upload", RouteOptions.DEFAULT.withMaxBodyBytes(Long.MAX_VALUE),
                HttpHandler.blocking(HttpHandler.streaming((req, res) -> {
                    List<String> seen = new ArrayList<>();
                    MultipartReader parts = req.multipart();
                    for (Part part = parts.next(); part != null; part = parts.next()) {
                        if (part.filename() == null) {
                            seen.add(part.name() + "=" + part.contentAsString());
                            continue;
                        }
                        CountingSink sink = new CountingSink();
                        part.inputStream().transferTo(sink);
                        seen.add(part.name() + ":" + part.filename() + ":" + part.contentType() + ":" + sink.count + ":"
                                + Long.toHexString(sink.crc.getValue()));
                    }
                    res.send(String.join("\n", seen));
                })));
    }

    /** Counts and checksums what it is given; samples the live heap every {@link #SAMPLE_EVERY} bytes. */
    private final class CountingSink extends OutputStream {
        final CRC32 crc = new CRC32();
        long count;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            crc.update(b, off, len);
            if ((count + len) / SAMPLE_EVERY != count / SAMPLE_EVERY) {
                peakLiveHeap.accumulateAndGet(liveHeap(), Math::max);
            }
            count += len;
        }
    }

    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void uploads64MiBThroughAStreamingMultipartRouteInBoundedMemory(ReactorProvider provider) throws Exception {
        upload(provider, 64L << 20);
    }

    @Tag("drill")
    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void uploads1GiBThroughAStreamingMultipartRouteInBoundedMemory(ReactorProvider provider) throws Exception {
        upload(provider, 1L << 30);
    }

    private void upload(ReactorProvider provider, long fileBytes) throws Exception {
        try (var server = ProviderServers.start(provider, this::routes)) {
            long baseline = liveHeap();
            peakLiveHeap.set(baseline);
            var response = CLIENT.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/upload"))
                            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                            .timeout(Duration.ofMinutes(5))
                            .POST(BodyPublishers.ofInputStream(() -> multipart(fileBytes))).build(),
                    BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("title=Quarterly report\n"
                    + "file:big.bin:application/octet-stream:" + fileBytes + ":" + Long.toHexString(expectedCrc(fileBytes)));
            long growth = peakLiveHeap.get() - baseline;
            System.out.printf("%s: %d MiB uploaded; live heap peaked %.1f MiB above the baseline%n",
                    provider.name(), fileBytes >> 20, growth / 1048576.0);
            assertThat(growth).as("live heap growth in bytes").isLessThan(HEAP_BOUND);
        }
    }

    private static InputStream multipart(long fileBytes) {
        String head = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nQuarterly report\r\n"
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        String tail = "\r\n--" + BOUNDARY + "--\r\n";
        return new SequenceInputStream(java.util.Collections.enumeration(List.of(
                new ByteArrayInputStream(head.getBytes(StandardCharsets.US_ASCII)),
                new PatternStream(fileBytes),
                new ByteArrayInputStream(tail.getBytes(StandardCharsets.US_ASCII)))));
    }

    private static long expectedCrc(long length) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = new PatternStream(length)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }

    /** {@code length} bytes made up as they are read, with CR, LF and '-' among them, as in real files. */
    private static final class PatternStream extends InputStream {
        private final long length;
        private long position;

        PatternStream(long length) {
            this.length = length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int count) {
            if (position == length) {
                return -1;
            }
            int n = (int) Math.min(count, length - position);
            for (int i = 0; i < n; i++) {
                long p = position + i;
                into[offset + i] = (byte) (p % 1021 == 0 ? '\r' : p % 1021 == 1 ? '\n' : p % 1021 < 4 ? '-' : p * 131 + (p >>> 13));
            }
            position += n;
            return n;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void takesUploadsFromCurl(ReactorProvider provider, @TempDir Path dir) throws Exception {
        assumeTrue(onPath("curl"), "curl is not on the PATH: the curl -F upload is skipped");
        Path file = dir.resolve("notes.txt");
        byte[] content = new byte[1 << 20];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i % 7 == 0 ? '\n' : 'a' + i % 26);
        }
        Files.write(file, content);
        CRC32 crc = new CRC32();
        crc.update(content);
        try (var server = ProviderServers.start(provider, this::routes)) {
            Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "60", "-F", "title=From curl", "-F",
                    "file=@" + file + ";type=text/plain", "http://127.0.0.1:" + server.port() + "/upload")
                    .redirectErrorStream(true).start();
            String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(curl.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(output).isEqualTo("title=From curl\nfile:notes.txt:text/plain:" + content.length + ":"
                    + Long.toHexString(crc.getValue()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void answersAMalformedOrTruncatedMultipartBodyWith400(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, this::routes); var client = server.client()) {
            String truncated = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end";
            var answer = client.exchange("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary="
                    + BOUNDARY + "\r\nContent-Length: " + truncated.length() + "\r\n\r\n" + truncated);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.bodyText()).contains("before its closing boundary");
        }
        try (var server = ProviderServers.start(provider, this::routes); var client = server.client()) {
            var answer = client.exchange("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi");
            assertThat(answer.status()).isEqualTo(415);
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
