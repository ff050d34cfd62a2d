package io.katana.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katana.examples.ExampleApp;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.spi.ReactorProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example server with common HTTP/1.1 clients and load generators on every backend: {@code curl}
 * (keep-alive reuse), {@code ab -k} (HTTP/1.0 keep-alive) and {@code h2load --h1} (64 connections,
 * 16 pipelined requests each). Each test is skipped when its tool is not installed; CI installs them
 * ({@code .ci/run}). Correctness only: no speed is asserted.
 */
class InteropToolsTest {

    static Stream<ReactorProvider> providers() {
        return ServiceLoader.load(ReactorProvider.class).stream().map(ServiceLoader.Provider::get);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void curlReusesTheConnection(ReactorProvider provider) throws Exception {
        assumeTool("curl", "--version");
        try (Server server = Server.start(provider)) {
            String base = "http://127.0.0.1:" + server.port();
            String output = run("curl", "-sS", "--max-time", "30", "-w", "\\n%{http_code} %{num_connects}\\n",
                    base + "/plaintext", base + "/json", base + "/", base + "/nope");
            assertThat(output.lines().toList()).containsExactly(
                    "Hello, World!", "200 1",
                    "{\"message\":\"Hello, World!\"}", "200 0",
                    "OK", "200 0",
                    "Not Found", "", "404 0"); // the 404 body ends with a newline
            assertThat(run("curl", "-sS", "--max-time", "30", "--data-binary", "posted body", base + "/"))
                    .isEqualTo("posted body");
            assertThat(run("curl", "-sS", "--max-time", "30", "-H", "X-Probe: 42", base + "/echo"))
                    .contains("X-Probe: 42\n").contains("Host: 127.0.0.1:" + server.port() + "\n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void apacheBenchKeepAliveHasNoFailures(ReactorProvider provider) throws Exception {
        assumeTool("ab", "-V");
        try (Server server = Server.start(provider)) {
            String output = run("ab", "-k", "-q", "-n", "20000", "-c", "16", "-s", "30",
                    "http://127.0.0.1:" + server.port() + "/plaintext");
            assertThat(number(output, "Complete requests:\\s+(\\d+)")).as(output).isEqualTo(20000);
            assertThat(number(output, "Failed requests:\\s+(\\d+)")).as(output).isZero();
            assertThat(number(output, "Keep-Alive requests:\\s+(\\d+)")).as(output).isEqualTo(20000);
            assertThat(output).doesNotContain("Non-2xx responses");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void h2loadPipelinedHasNoFailuresOrErrors(ReactorProvider provider) throws Exception {
        assumeTool("h2load", "--version");
        try (Server server = Server.start(provider)) {
            String output = run("h2load", "--h1", "-n", "200000", "-c", "64", "-m", "16", "-T", "30",
                    "http://127.0.0.1:" + server.port() + "/plaintext");
            Matcher requests = Pattern.compile("requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, "
                    + "(\\d+) failed, (\\d+) errored, (\\d+) timeout").matcher(output);
            assertThat(requests.find()).as(output).isTrue();
            assertThat(requests.group(4)).as("succeeded\n" + output).isEqualTo("200000");
            assertThat(requests.group(5)).as("failed\n" + output).isEqualTo("0");
            assertThat(requests.group(6)).as("errored\n" + output).isEqualTo("0");
            assertThat(requests.group(7)).as("timeout\n" + output).isEqualTo("0");
            assertThat(output).contains("status codes: 200000 2xx, 0 3xx, 0 4xx, 0 5xx");
        }
    }

    /** The example app on its own two-reactor group. */
    private record Server(ReactorGroup group, Listener listener) implements AutoCloseable {
        static Server start(ReactorProvider provider) throws IOException {
            assumeTrue(provider.isAvailable(), () -> provider.name() + " is not available here: " + provider.availability().reason());
            ReactorGroup group = provider.open(ReactorConfig.defaults().withThreads(2).withThreadNamePrefix(provider.name() + "-interop-"));
            try {
                return new Server(group, ExampleApp.start(group, new InetSocketAddress("127.0.0.1", 0)));
            } catch (IOException | RuntimeException e) {
                group.close();
                throw e;
            }
        }

        int port() {
            return listener.localAddress().getPort();
        }

        @Override
        public void close() {
            listener.close();
            group.close();
        }
    }

    private static void assumeTool(String... probe) {
        boolean present;
        try {
            Process process = new ProcessBuilder(probe).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            present = process.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        assumeTrue(present, probe[0] + " is not installed (CI installs it: apt-get install curl apache2-utils nghttp2-client)");
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                process.getInputStream().transferTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("%s did not finish within 2 minutes; output so far:%n%s", command[0], out);
        }
        reader.join(TimeUnit.SECONDS.toMillis(30));
        String output = out.toString(StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s exit code; output:%n%s", command[0], output).isZero();
        return output;
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("'%s' in:%n%s", regex, text).isTrue();
        return Long.parseLong(m.group(1));
    }
}
