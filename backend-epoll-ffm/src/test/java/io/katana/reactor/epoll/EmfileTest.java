package io.katana.reactor.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs an echo server in a child JVM limited to 64 file descriptors, floods it with connections
 * until {@code accept4} fails with {@code EMFILE}, checks it does not spin meanwhile, then closes the
 * flood and checks it serves again.
 */
class EmfileTest {
    private static final int FD_LIMIT = 64;
    private static final int FLOOD = 3 * FD_LIMIT;
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, the unit of /proc/<pid>/stat times

    @Test
    void survivesRunningOutOfDescriptorsWithoutSpinningAndServesAgain() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder("bash", "-c", "ulimit -n " + FD_LIMIT + " && exec \"$@\"", "bash",
                        java, "--enable-native-access=ALL-UNNAMED", "-Xss1m", "-XX:TieredStopAtLevel=1",
                        "-XX:CICompilerCount=1", "-cp", System.getProperty("java.class.path"),
                        EmfileServer.class.getName())
                .redirectError(Path.of("target", "emfile-child.log").toFile()) // kept for diagnosis
                .start();
        List<Socket> flood = new ArrayList<>();
        try {
            int port = readPort(child);
            InetAddress loopback = InetAddress.getLoopbackAddress();
            assertThat(echo(loopback, port)).as("serves before the flood").isTrue();

            for (int i = 0; i < FLOOD; i++) {
                Socket socket = new Socket(loopback, port); // the kernel completes the handshake even when we cannot accept
                flood.add(socket);
            }
            Thread.sleep(1_000); // let it hit EMFILE and settle into its back-off

            long cpuBefore = cpuTicks(child.pid());
            long wallStart = System.nanoTime();
            Thread.sleep(2_000);
            double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
            double cpuSeconds = (cpuTicks(child.pid()) - cpuBefore) / (double) CLOCK_TICKS_PER_SECOND;
            assertThat(child.isAlive()).as("the server survived EMFILE").isTrue();
            assertThat(cpuSeconds).as("CPU seconds used in %.1f s of wall time while out of descriptors", wallSeconds)
                    .isLessThan(0.25 * wallSeconds);

            for (Socket socket : flood) {
                socket.close();
            }
            flood.clear();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            boolean served = false;
            while (!served && System.nanoTime() < deadline) {
                served = echo(loopback, port);
            }
            assertThat(served).as("serves again once the flood closed").isTrue();
        } finally {
            for (Socket socket : flood) {
                socket.close();
            }
            child.destroy();
            if (!child.waitFor(20, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static int readPort(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        String first = line.get(60, TimeUnit.SECONDS);
        assertThat(first).as("the child's first line").startsWith("PORT ");
        return Integer.parseInt(first.substring(5).trim());
    }

    /** One echo exchange within 5 s; false when the server does not answer in time. */
    private static boolean echo(InetAddress address, int port) {
        try (Socket socket = new Socket(address, port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readNBytes(4), StandardCharsets.US_ASCII).equals("ping");
        } catch (IOException e) {
            return false;
        }
    }

    /** User plus system CPU time of a process, in clock ticks. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
    }
}
