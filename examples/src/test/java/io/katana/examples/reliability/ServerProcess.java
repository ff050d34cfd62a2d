package io.katana.examples.reliability;

import io.katana.examples.Katana;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code katana serve} in a child JVM, started from this JVM's class path, with what the drills read
 * from outside: its port, descriptors, resident memory, CPU time, log lines, and {@code jcmd} figures.
 *
 * <p><b>Threading:</b> one owner thread; the log is collected by a daemon thread and safe to read anywhere.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("katana: serving https?://[^:]+:(\\d+) on (\\S+)");
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, the unit of /proc/<pid>/stat times

    private final Process process;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.CountDownLatch logEnded = new java.util.concurrent.CountDownLatch(1);
    private final int port;
    private final String backend;

    private ServerProcess(Process process, Duration startTimeout) throws IOException {
        this.process = process;
        CompletableFuture<Matcher> serving = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("katana-child-log").start(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    log.add(line);
                    Matcher matcher = SERVING.matcher(line);
                    if (matcher.find()) {
                        serving.complete(matcher);
                    }
                }
            } catch (IOException e) {
                serving.completeExceptionally(e);
            } finally {
                logEnded.countDown();
            }
            serving.completeExceptionally(new IOException("the server ended before it served; its output: " + log));
        });
        try {
            Matcher matcher = serving.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            this.port = Integer.parseInt(matcher.group(1));
            this.backend = matcher.group(2);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("the server did not start within " + startTimeout + ": " + e.getMessage()
                    + "; output: " + log, e);
        }
    }

    /**
     * Starts {@code katana serve --port 0 --backend backend serveArgs} with {@code jvmArgs}; with a
     * positive {@code fdLimit} under {@code ulimit -n fdLimit}.
     */
    static ServerProcess start(String backend, List<String> serveArgs, List<String> jvmArgs, int fdLimit)
            throws IOException {
        List<String> command = new ArrayList<>();
        if (fdLimit > 0) {
            command.addAll(List.of("bash", "-c", "ulimit -n " + fdLimit + " && exec \"$@\"", "bash"));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Katana.class.getName(),
                "serve", "--host", "127.0.0.1", "--port", "0", "--backend", backend));
        command.addAll(serveArgs);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new ServerProcess(process, Duration.ofSeconds(60));
    }

    int port() {
        return port;
    }

    String backend() {
        return backend;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the server printed so far (stdout and stderr, with the log). */
    List<String> log() {
        return List.copyOf(log);
    }

    /** Open file descriptors of the server. */
    long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
            return fds.count();
        }
    }

    /** Resident set size in KiB. */
    long residentKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for " + process.pid());
    }

    /** User plus system CPU time of the server so far, in seconds. */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        return ticks / (double) CLOCK_TICKS_PER_SECOND;
    }

    /** Runs {@code jcmd <pid> args} and returns its output. */
    String jcmd(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        command.add(Long.toString(process.pid()));
        command.addAll(List.of(args));
        Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            jcmd.destroyForcibly();
            throw new IOException("jcmd " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }

    /** Sends SIGTERM, as a service manager stops a server. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the server to exit; its exit status, or -1 if it is still running after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return -1;
        }
        logEnded.await(10, TimeUnit.SECONDS); // the last lines it printed
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
