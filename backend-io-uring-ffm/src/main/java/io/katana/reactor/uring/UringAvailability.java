package io.katana.reactor.uring;

import io.katana.reactor.Availability;
import io.katana.reactor.spi.ffm.Errno;
import io.katana.reactor.spi.ffm.ErrnoException;
import io.katana.reactor.spi.ffm.NativeAvailability;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Decides, once per process, whether the io_uring backend can run: Linux and native access enabled
 * for this module ({@link NativeAvailability}), {@code kernel.io_uring_disabled} not 2, and a probe that sets up a ring, checks the
 * features and every opcode the backend uses ({@code IORING_REGISTER_PROBE}) and registers a
 * provided-buffer ring. The checks run in that order, so no restricted FFM call is made before
 * native access is known to be enabled. Each failure names what is missing.
 *
 * <p>For tests, {@code -Dkatana.io_uring.simulateSetupErrno=EPERM} (or any errno name or number)
 * makes the probe's ring setup fail with that errno, as a seccomp filter would.
 *
 * <p><b>Threading:</b> safe from any thread; the result is computed on first use and cached.
 */
final class UringAvailability {

    /** The module whose native access counts, named in the advice when it is off. */
    static final String MODULE = "io.katana.reactor.uring";

    /** The system property that makes the probe's setup fail, for tests of the fallback. */
    static final String SIMULATE_SETUP_ERRNO = "katana.io_uring.simulateSetupErrno";

    private static final Path DISABLED_SYSCTL = Path.of("/proc/sys/kernel/io_uring_disabled");

    private UringAvailability() {}

    /** Whether this JVM can run the backend, computed once. Never throws. */
    static Availability current() {
        return Cached.RESULT;
    }

    /**
     * The decision for the given facts.
     *
     * @param disabledSysctl the value of {@code kernel.io_uring_disabled}, or null if unknown
     * @param probe runs only when everything before it passed; returns the failure it met, or null
     */
    static Availability evaluate(String osName, boolean nativeAccessEnabled, String disabledSysctl,
            Supplier<Throwable> probe) {
        return NativeAvailability.evaluate(osName, os -> "io_uring exists only on Linux; this is " + os, MODULE,
                nativeAccessEnabled, () -> {
                    if ("2".equals(disabledSysctl)) {
                        return Availability.unavailable(
                                "io_uring is disabled on this machine (kernel.io_uring_disabled=2)");
                    }
                    Throwable failure = probe.get();
                    return failure == null ? Availability.AVAILABLE
                            : Availability.unavailable(explain(failure, disabledSysctl), failure);
                });
    }

    private static String explain(Throwable failure, String disabledSysctl) {
        if (failure instanceof ErrnoException errno && errno.operation().equals("io_uring_setup")) {
            if (errno.errno() == Errno.EPERM) {
                return "1".equals(disabledSysctl)
                        ? "io_uring is restricted to the group kernel.io_uring_group (kernel.io_uring_disabled=1) "
                                + "and this process is not in it: io_uring_setup failed with EPERM"
                        : "io_uring_setup failed with EPERM: a seccomp filter (such as a container's default "
                                + "profile) or kernel.io_uring_disabled forbids io_uring here";
            }
            if (errno.errno() == Errno.ENOSYS) {
                return "io_uring_setup failed with ENOSYS: the kernel has no io_uring (or a seccomp filter hides it)";
            }
        }
        return "probe failed: " + failure.getMessage();
    }

    /**
     * Sets up a small ring the way a reactor does, checks the opcodes, registers a small buffer
     * ring, and closes it all. Returns the failure, or null.
     */
    static Throwable probe() {
        String simulated = System.getProperty(SIMULATE_SETUP_ERRNO);
        if (simulated != null && !simulated.isEmpty()) {
            return new ErrnoException("io_uring_setup", errnoNumber(simulated));
        }
        try (Arena arena = Arena.ofConfined()) {
            SystemCalls calls = new SystemCalls(arena);
            IoUring ring = IoUring.open(calls, arena, 8);
            try {
                String missing = ring.unsupportedOp(arena, IoUring.OPS_USED);
                if (missing != null) {
                    return new UnsupportedOperationException("the kernel's io_uring lacks " + missing
                            + " (this backend needs Linux 6.0 or newer)");
                }
                new BufferRing(ring, arena, 2, 1024, 0);
            } finally {
                ring.close();
            }
            return null;
        } catch (Throwable failure) {
            return NativeAvailability.probeFailure(failure);
        }
    }

    private static int errnoNumber(String nameOrNumber) {
        for (int errno = 1; errno < 134; errno++) {
            if (Errno.name(errno).equals(nameOrNumber)) {
                return errno;
            }
        }
        try {
            return Integer.parseInt(nameOrNumber);
        } catch (NumberFormatException e) {
            return Errno.EPERM;
        }
    }

    private static String readDisabledSysctl() {
        try {
            return Files.readString(DISABLED_SYSCTL).strip();
        } catch (IOException | RuntimeException e) {
            return null; // an older kernel has no such switch
        }
    }

    private static final class Cached {
        static final Availability RESULT = evaluate(
                System.getProperty("os.name", ""),
                UringReactorProvider.class.getModule().isNativeAccessEnabled(),
                readDisabledSysctl(),
                UringAvailability::probe);
    }
}
