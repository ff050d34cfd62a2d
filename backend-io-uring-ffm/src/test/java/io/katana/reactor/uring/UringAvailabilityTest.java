package io.katana.reactor.uring;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.Availability;
import io.katana.reactor.Reactors;
import io.katana.reactor.spi.ffm.Errno;
import io.katana.reactor.spi.ffm.ErrnoException;
import io.katana.reactor.spi.ffm.NativeAvailability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The availability triple's reasons, each from its own fact, and the fallback when setup fails. */
class UringAvailabilityTest {

    private static Throwable setupFails(int errno) {
        return new ErrnoException("io_uring_setup", errno);
    }

    @Test
    void offLinuxItSaysSoWithoutProbing() {
        Availability availability = UringAvailability.evaluate("Mac OS X", true, null, () -> {
            throw new AssertionError("probed off Linux");
        });
        assertThat(availability.reason()).isEqualTo("io_uring exists only on Linux; this is Mac OS X");
    }

    @Test
    void withoutNativeAccessItNamesTheFlagWithoutProbing() {
        Availability availability = UringAvailability.evaluate("Linux", false, "0", () -> {
            throw new AssertionError("probed without native access");
        });
        assertThat(availability.reason()).isEqualTo(NativeAvailability.nativeAccessDisabled(UringAvailability.MODULE));
    }

    @Test
    void theSysctlSwitchOffIsNamed() {
        Availability availability = UringAvailability.evaluate("Linux", true, "2", () -> null);
        assertThat(availability.reason()).isEqualTo("io_uring is disabled on this machine (kernel.io_uring_disabled=2)");
    }

    @Test
    void eprmFromSetupNamesSeccompOrTheGroupRestriction() {
        assertThat(UringAvailability.evaluate("Linux", true, "0", () -> setupFails(Errno.EPERM)).reason())
                .contains("EPERM").contains("seccomp");
        assertThat(UringAvailability.evaluate("Linux", true, "1", () -> setupFails(Errno.EPERM)).reason())
                .contains("kernel.io_uring_group").contains("kernel.io_uring_disabled=1");
    }

    @Test
    void enosysFromSetupSaysTheKernelHasNoIoUring() {
        assertThat(UringAvailability.evaluate("Linux", true, null, () -> setupFails(Errno.ENOSYS)).reason())
                .isEqualTo("io_uring_setup failed with ENOSYS: the kernel has no io_uring (or a seccomp filter hides it)");
    }

    @Test
    void aMissingOperationIsReportedAsTheProbeFound() {
        Availability availability = UringAvailability.evaluate("Linux", true, "0",
                () -> new UnsupportedOperationException("the kernel's io_uring lacks opcode 27"));
        assertThat(availability.reason()).isEqualTo("probe failed: the kernel's io_uring lacks opcode 27");
    }

    @Test
    void aProbeThatThrowsStillGivesAnAnswer() {
        Availability availability = UringAvailability.evaluate("Linux", true, "0", () -> {
            throw new IllegalStateException("boom");
        });
        assertThat(availability.available()).isFalse();
        assertThat(availability.reason()).contains("boom");
    }

    @Test
    void aKernelWithoutANeededFeatureIsNamed() {
        assertThat(IoUring.missingFeatures(IoUring.FEAT_SINGLE_MMAP | IoUring.FEAT_NODROP | IoUring.FEAT_FAST_POLL
                | IoUring.FEAT_CQE_SKIP)).isEqualTo("IORING_FEAT_EXT_ARG (Linux 5.11)");
        assertThat(IoUring.missingFeatures(IoUring.FEAT_SINGLE_MMAP | IoUring.FEAT_NODROP | IoUring.FEAT_FAST_POLL
                | IoUring.FEAT_EXT_ARG | IoUring.FEAT_CQE_SKIP)).isNull();
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "io_uring exists only on Linux")
    void theRealProbeSucceedsWhereTheKernelAllowsIt() throws IOException {
        String disabled = Files.readString(Path.of("/proc/sys/kernel/io_uring_disabled")).strip();
        Availability availability = new UringReactorProvider().availability();
        if (disabled.equals("0")) {
            assertThat(availability.available()).as(availability.reason()).isTrue();
            assertThat(Reactors.named("io_uring")).isInstanceOf(UringReactorProvider.class);
        } else {
            assertThat(availability.reason()).contains("io_uring");
        }
    }

    /**
     * A JVM whose ring setup fails as under a seccomp filter: io_uring reports why, and discovery
     * picks the next backend (nio, the only other one on this module's test class path).
     */
    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "io_uring exists only on Linux")
    void whenSetupFailsDiscoveryFallsBackToTheNextBackend() throws Exception {
        Path out = Files.createTempFile("uring-fallback", ".out");
        Path err = Files.createTempFile("uring-fallback", ".err");
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                            "-D" + UringAvailability.SIMULATE_SETUP_ERRNO + "=EPERM",
                            "-cp", System.getProperty("java.class.path"), PrintBest.class.getName()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                throw new AssertionError("child JVM did not finish within 60 s");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as("stderr: %s", Files.readString(err, StandardCharsets.UTF_8)).isZero();
            assertThat(stdout.lines().toList()).containsExactly(
                    "best: nio",
                    "io_uring: unavailable: io_uring_setup failed with EPERM: a seccomp filter (such as a container's "
                            + "default profile) or kernel.io_uring_disabled forbids io_uring here");
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
