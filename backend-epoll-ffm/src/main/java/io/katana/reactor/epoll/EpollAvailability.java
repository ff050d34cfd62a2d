package io.katana.reactor.epoll;

import io.katana.reactor.Availability;
import io.katana.reactor.epoll.ffi.EpollEventLayout;
import io.katana.reactor.epoll.ffi.LinuxConstants;
import io.katana.reactor.epoll.ffi.Syscalls;
import io.katana.reactor.spi.ffm.NativeAvailability;
import java.lang.foreign.Arena;
import java.util.function.Supplier;

/**
 * Decides, once per process, whether the epoll backend can run: Linux and native access enabled for
 * this module ({@link NativeAvailability}), an architecture whose {@code epoll_event} layout is
 * known, and a probe that opens (and closes) an epoll fd and an eventfd.
 *
 * <p><b>Threading:</b> safe from any thread; the result is computed on first use and cached.
 */
final class EpollAvailability {

    /** The module whose native access counts, named in the advice when it is off. */
    static final String MODULE = "io.katana.reactor.epoll";

    private EpollAvailability() {}

    /** Whether this JVM can run the backend, computed once. Never throws. */
    static Availability current() {
        return Cached.RESULT;
    }

    /**
     * The decision for the given facts; {@code probe} runs only when everything before it passed and
     * returns the failure it met, or null on success.
     */
    static Availability evaluate(String osName, String osArch, boolean nativeAccessEnabled, Supplier<Throwable> probe) {
        return NativeAvailability.evaluate(osName, os -> "epoll exists only on Linux; this is " + os, MODULE,
                nativeAccessEnabled, () -> {
                    if (EpollEventLayout.forArchitecture(osArch).isEmpty()) {
                        return Availability.unavailable("the epoll_event layout of architecture " + osArch
                                + " is not known to this backend (known: x86_64, aarch64)");
                    }
                    Throwable failure = probe.get();
                    return failure == null ? Availability.AVAILABLE
                            : Availability.unavailable("probe failed: " + failure.getMessage(), failure);
                });
    }

    /**
     * Opens an epoll fd and an eventfd, then closes both: the two kernel objects every reactor
     * needs. Returns the failure, or null when both opened.
     */
    static Throwable probe() {
        try (Arena arena = Arena.ofConfined()) {
            Syscalls calls = new Syscalls(arena, EpollEventLayout.current().orElseThrow());
            int epollFd = calls.epollCreate();
            if (epollFd < 0) {
                return Syscalls.failure("epoll_create1", epollFd);
            }
            int eventFd = calls.eventfd(LinuxConstants.EFD_NONBLOCK | LinuxConstants.EFD_CLOEXEC);
            calls.close(epollFd);
            if (eventFd < 0) {
                return Syscalls.failure("eventfd", eventFd);
            }
            calls.close(eventFd);
            return null;
        } catch (Throwable failure) {
            return NativeAvailability.probeFailure(failure); // a C library without a symbol: report, never throw
        }
    }

    private static final class Cached {
        static final Availability RESULT = evaluate(
                System.getProperty("os.name", ""),
                System.getProperty("os.arch", ""),
                EpollReactorProvider.class.getModule().isNativeAccessEnabled(),
                EpollAvailability::probe);
    }
}
