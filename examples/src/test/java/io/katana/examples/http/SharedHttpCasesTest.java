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
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Runs the third-party HTTP request corpora kept in the repository ({@code testdata/http-cases/}, with
 * their Python runner) against {@link ExampleApp} on every backend, and expects no failure.
 *
 * <p>The runner counts a 404 or 405 on an {@code accept} case as accepted (the request was parsed and
 * routed; the example app just has no such resource) and a 400 for another protocol's version
 * ({@code RTSP/1.0}) as the right refusal, so every case has one right answer for a strict server.
 */
class SharedHttpCasesTest {

    private static final Pattern LAST_LINE = Pattern.compile("^conformance: (\\d+) passed, (\\d+) failed, (\\d+) skipped$");

    static Stream<ReactorProvider> providers() {
        return ServiceLoader.load(ReactorProvider.class).stream().map(ServiceLoader.Provider::get);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void theSharedCasesPassAgainstTheExampleApp(ReactorProvider provider) throws Exception {
        Path casesDir = casesDirectory();
        Path runner = casesDir.resolve("run_cases.py");
        List<Path> corpora;
        try (Stream<Path> dirs = Files.list(casesDir)) {
            corpora = dirs.map(d -> d.resolve("cases.jsonl")).filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(corpora).as("cases.jsonl files under " + casesDir).isNotEmpty();
        assumeTrue(provider.isAvailable(), () -> provider.name() + " is not available here: " + provider.availability().reason());
        String python = python3();

        ReactorGroup group = provider.open(ReactorConfig.defaults().withThreads(2).withThreadNamePrefix(provider.name() + "-cases-"));
        List<String> output;
        int exit;
        try {
            Listener listener = ExampleApp.start(group, new InetSocketAddress("127.0.0.1", 0));
            // 32 cases at a time: most of a case's time is the runner waiting to see nothing more
            // come (31 s per backend with the runner's default of 8, 10 s with 32).
            List<String> command = new ArrayList<>(List.of(python, runner.toString(), "--jobs", "32", "--port",
                    Integer.toString(listener.localAddress().getPort())));
            corpora.forEach(c -> command.add(c.toString()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            ByteArrayOutputStream collected = new ByteArrayOutputStream();
            Thread reader = Thread.ofVirtual().start(() -> copy(process.getInputStream(), collected));
            if (!process.waitFor(6, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail("run_cases.py did not finish within 6 minutes; output so far:%n%s", collected);
            }
            reader.join(TimeUnit.SECONDS.toMillis(30));
            exit = process.exitValue();
            output = collected.toString(StandardCharsets.UTF_8).lines().toList();
            listener.close();
        } finally {
            group.close();
        }

        String transcript = String.join("\n", output);
        assertThat(output).as("runner output").isNotEmpty();
        Matcher last = LAST_LINE.matcher(output.getLast());
        assertThat(last.matches()).as("last line of:%n%s", transcript).isTrue();
        int passed = Integer.parseInt(last.group(1));
        int failed = Integer.parseInt(last.group(2));
        int skipped = Integer.parseInt(last.group(3));

        System.out.printf("%s: %s%n", provider.name(), output.getLast());
        List<String> failures = output.stream().filter(line -> line.startsWith("FAIL")).toList();
        assertThat(failures).as("runner failures; full output:%n%s", transcript).isEmpty();
        assertThat(failed).as("failures counted by the runner; full output:%n%s", transcript).isZero();
        assertThat(exit).as("runner exit code").isZero();
        assertThat((long) passed + failed + skipped).as("every case ran; output:%n%s", transcript)
                .isLessThanOrEqualTo(countCases(corpora)).isPositive();
        assertThat(passed).as("passed").isPositive();
    }

    private static long countCases(List<Path> corpora) throws IOException {
        long count = 0;
        for (Path corpus : corpora) {
            try (Stream<String> lines = Files.lines(corpus)) {
                count += lines.filter(l -> !l.isBlank()).count();
            }
        }
        return count;
    }

    /** {@code testdata/http-cases} in the repository root (the directory holding {@code mvnw}). */
    private static Path casesDirectory() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            fail("cannot find the repository root (a directory with mvnw) above %s", Path.of("").toAbsolutePath());
        }
        Path cases = dir.resolve("testdata").resolve("http-cases");
        if (!Files.isRegularFile(cases.resolve("run_cases.py"))) {
            fail("the HTTP cases are missing: expected %s with run_cases.py and */cases.jsonl", cases);
        }
        return cases;
    }

    private static String python3() {
        try {
            Process probe = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                return "python3";
            }
        } catch (IOException e) {
            // fall through to the failure below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assumeTrue(false, "python3 is not installed: the HTTP cases (testdata/http-cases/run_cases.py) need it;"
                + " apt-get install -y python3 runs them");
        return null;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
