package io.katana.reactor.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>"Does not spin" is judged by the reactor's loop-iteration counter, not by CPU time: a loop that
 * retries {@code accept4} runs millions of iterations in two seconds, one that pauses a few dozen,
 * and a busy machine can only lower the count, so the check cannot fail because the machine is slow.
 */
@LinuxOnly
class EmfileTest {
    private static final int FD_LIMIT = 64;
    private static final int FLOOD = 3 * FD_LIMIT;
    /** Iterations allowed in the two-second window: 20 accept pauses of 100 ms, each woken a few times. */
    private static final long MAX_ITERATIONS_OUT_OF_DESCRIPTORS = 200;

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
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            int port = readPort(out);
            InetAddress loopback = InetAddress.getLoopbackAddress();
            assertThat(echo(loopback, port)).as("serves before the flood").isTrue();

            for (int i = 0; i < FLOOD; i++) {
                Socket socket = new Socket(loopback, port); // the kernel completes the handshake even when we cannot accept
                flood.add(socket);
            }
            Thread.sleep(1_000); // let it hit EMFILE and settle into its back-off

            long iterationsBefore = iterations(child, out);
            Thread.sleep(2_000);
            long iterations = iterations(child, out) - iterationsBefore;
            assertThat(child.isAlive()).as("the server survived EMFILE").isTrue();
            assertThat(iterations).as("loop iterations in 2 s while out of descriptors (a spinning loop makes millions)")
                    .isLessThanOrEqualTo(MAX_ITERATIONS_OUT_OF_DESCRIPTORS);

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

    private static int readPort(BufferedReader out) throws Exception {
        String first = readLine(out);
        assertThat(first).as("the child's first line").startsWith("PORT ");
        return Integer.parseInt(first.substring(5).trim());
    }

    /** The child's loop iterations so far: it answers each line sent to its standard input. */
    private static long iterations(Process child, BufferedReader out) throws Exception {
        child.getOutputStream().write('\n');
        child.getOutputStream().flush();
        String answer = readLine(out);
        assertThat(answer).as("the child's answer").startsWith("ITERATIONS ");
        return Long.parseLong(answer.substring("ITERATIONS ".length()).trim());
    }

    private static String readLine(BufferedReader out) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return line.get(60, TimeUnit.SECONDS);
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
}
