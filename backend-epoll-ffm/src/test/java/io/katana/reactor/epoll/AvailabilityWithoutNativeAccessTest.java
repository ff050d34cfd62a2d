package io.katana.reactor.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Starts a JVM without {@code --enable-native-access} and asks the provider whether it can run. */
@LinuxOnly
class AvailabilityWithoutNativeAccessTest {

    @Test
    void childJvmWithoutTheFlagReportsTheFlagAndMakesNoRestrictedCall() throws Exception {
        Path out = Files.createTempFile("epoll-availability", ".out");
        Path err = Files.createTempFile("epoll-availability", ".err");
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                            PrintAvailability.class.getName()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                throw new AssertionError("child JVM did not finish within 60 s");
            }
            String stdout = read(out);
            String stderr = read(err);
            assertThat(child.exitValue()).as("stderr: %s", stderr).isZero();
            assertThat(stdout.strip()).isEqualTo("unavailable: native access not enabled; add "
                    + "--enable-native-access=io.katana.reactor.epoll (or ALL-UNNAMED on the class path)");
            assertThat(stderr).as("no restricted method may run before the check").doesNotContain("restricted method");
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
