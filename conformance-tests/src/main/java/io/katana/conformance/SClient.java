package io.katana.conformance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code openssl s_client}, a TLS client written outside this project, once: it sends a line, reads
 * until the server closes, and its output says whether the handshake was {@code New} or {@code Reused}.
 * Used by one check's thread.
 */
final class SClient {
    private static final long LIMIT_SECONDS = 30;

    private SClient() {}

    /** {@return whether an {@code openssl} command runs here} */
    static boolean installed() {
        try {
            Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Connects to {@code address} as {@code localhost}, trusting the suite's CA, sends {@code line}
     * and reads until the server closes.
     *
     * @param options further s_client options (protocol version, {@code -sess_out FILE}, ...)
     * @return s_client's output, standard error included
     * @throws AssertionError if it fails or does not finish within 30 s
     */
    static String run(InetSocketAddress address, String line, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect",
                address.getHostString() + ":" + address.getPort(), "-servername", "localhost",
                "-CAfile", TlsCertificates.file("ca.pem").toString(), "-verify_return_error",
                "-ign_eof")); // -ign_eof: read until the server closes, so a TLS 1.3 ticket sent after the handshake arrives
        command.addAll(List.of(options));
        Path log = Files.createTempFile("katana-s_client", ".log");
        try {
            // output into a file, so a client that hangs cannot block this thread on a full pipe
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try (var stdin = process.getOutputStream()) {
                stdin.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            boolean finished = process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(log);
            if (!finished || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + (finished ? " exited with " + process.exitValue()
                        : " did not finish within " + LIMIT_SECONDS + " s") + ":\n" + output);
            }
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
