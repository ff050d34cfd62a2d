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
import java.util.Base64;
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
 * Runs the shared HTTP request corpora ({@code ../shared/http-cases/} beside the repository, with
 * their Python runner) against {@link ExampleApp} on every backend.
 *
 * <p>Two kinds of runner failure are by design, and this test names each one it meets; any other
 * failure fails the test:
 *
 * <ul>
 *   <li>an {@code accept} case answered 404 or 405: the server parsed and accepted the request, but
 *       its path is not one the example app serves (issue 4: "anything else → 404"); the runner
 *       counts only statuses below 400 as accepted;
 *   <li>an {@code accept} case whose request line names another protocol ({@code RTSP/1.0}): not an
 *       HTTP-version (RFC 9112 section 2.3), so the strict parser answers 400, where llhttp, which
 *       also speaks RTSP, accepts it.
 * </ul>
 */
class SharedHttpCasesTest {

    private static final Pattern FAIL_LINE =
            Pattern.compile("^FAIL\\s+(\\S+) statuses=\\[([^\\]]*)\\] closed=\\S+ timeout=\\S+ expected=(.*)$");
    private static final Pattern LAST_LINE = Pattern.compile("^conformance: (\\d+) passed, (\\d+) failed, (\\d+) skipped$");

    static Stream<ReactorProvider> providers() {
        return ServiceLoader.load(ReactorProvider.class).stream().map(ServiceLoader.Provider::get);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void theSharedCasesPassAgainstTheExampleApp(ReactorProvider provider) throws Exception {
        Path casesDir = sharedCasesDirectory();
        Path runner = casesDir.resolve("run_cases.py");
        List<Path> corpora;
        try (Stream<Path> dirs = Files.list(casesDir)) {
            corpora = dirs.map(d -> d.resolve("cases.jsonl")).filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(corpora).as("cases.jsonl files under " + casesDir).isNotEmpty();
        String python = python3();
        assumeTrue(provider.isAvailable(), () -> provider.name() + " is not available here: " + provider.availability().reason());

        ReactorGroup group = provider.open(ReactorConfig.defaults().withThreads(2).withThreadNamePrefix(provider.name() + "-cases-"));
        List<String> output;
        int exit;
        try {
            Listener listener = ExampleApp.start(group, new InetSocketAddress("127.0.0.1", 0));
            List<String> command = new ArrayList<>(List.of(python, runner.toString(), "--port",
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

        List<String> explained = new ArrayList<>();
        List<String> unexplained = new ArrayList<>();
        for (String line : output) {
            Matcher m = FAIL_LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String reason = explanation(m.group(1), m.group(2), m.group(3), corpora);
            (reason == null ? unexplained : explained).add(reason == null ? line : m.group(1) + ": " + reason);
        }
        System.out.printf("%s: %s%n%s%n", provider.name(), output.getLast(),
                explained.isEmpty() ? "" : "failures by design:\n  " + String.join("\n  ", explained));
        assertThat(unexplained).as("runner failures that are not by design; full output:%n%s", transcript).isEmpty();
        assertThat(failed).as("failures counted by the runner").isEqualTo(explained.size());
        assertThat(exit).as("runner exit code").isEqualTo(failed == 0 ? 0 : 1);
        assertThat((long) passed + failed + skipped).as("every case ran; output:%n%s", transcript)
                .isLessThanOrEqualTo(countCases(corpora)).isPositive();
        assertThat(passed).as("passed").isGreaterThan(failed);
    }

    /** Why a failed case fails by design, or null if it does not. */
    private static String explanation(String id, String statuses, String expected, List<Path> corpora) {
        if (!expected.equals("\"accept\"") || statuses.isBlank()) {
            return null;
        }
        int status = Integer.parseInt(statuses.split(",")[0].strip());
        if (status == 404 || status == 405) {
            return "accepted and answered " + status + ": the example app has no route for this path";
        }
        String requestLine = requestLine(id, corpora);
        if ((status == 400 || status == 505) && requestLine != null) {
            String[] parts = requestLine.split(" ");
            if (parts.length == 3 && !parts[2].startsWith("HTTP/")) {
                return "refused with " + status + ": \"" + parts[2] + "\" is not an HTTP version (RFC 9112 section 2.3)";
            }
        }
        return null;
    }

    private static String requestLine(String id, List<Path> corpora) {
        Pattern raw = Pattern.compile("\"raw_b64\": \"([^\"]*)\"");
        String idField = "\"id\": \"" + id + "\"";
        for (Path corpus : corpora) {
            try (Stream<String> lines = Files.lines(corpus)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.contains(idField)) {
                        Matcher m = raw.matcher(line);
                        if (!m.find()) {
                            return null;
                        }
                        String request = new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.ISO_8859_1);
                        int end = request.indexOf("\r\n");
                        return end < 0 ? request : request.substring(0, end);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return null;
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

    /** {@code ../shared/http-cases} next to the repository root (the directory holding {@code mvnw}). */
    private static Path sharedCasesDirectory() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            fail("cannot find the repository root (a directory with mvnw) above %s", Path.of("").toAbsolutePath());
        }
        Path cases = dir.resolveSibling("shared").resolve("http-cases");
        if (!Files.isRegularFile(cases.resolve("run_cases.py"))) {
            fail("the shared HTTP cases are missing: expected %s with run_cases.py and */cases.jsonl beside the"
                    + " repository (CI places a copy of shared/ next to the clone)", cases);
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
        return fail("python3 is needed to run the shared HTTP cases (../shared/http-cases/run_cases.py);"
                + " install it (apt-get install -y python3) and run the build again");
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
