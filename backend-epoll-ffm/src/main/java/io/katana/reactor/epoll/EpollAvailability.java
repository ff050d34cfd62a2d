package io.katana.reactor.epoll;

import io.katana.reactor.Availability;
import io.katana.reactor.epoll.ffi.EpollEventLayout;
import io.katana.reactor.epoll.ffi.LinuxConstants;
import io.katana.reactor.epoll.ffi.Syscalls;
import io.katana.reactor.spi.ffm.ErrnoException;
import java.lang.foreign.Arena;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Decides, once per process, whether the epoll backend can run: Linux, an architecture whose {@code
 * epoll_event} layout is known, native access enabled for this module, and a probe that opens (and
 * closes) an epoll fd and an eventfd. The checks run in that order, so no restricted FFM call is made
 * before native access is known to be enabled.
 *
 * <p><b>Threading:</b> safe from any thread; the result is computed on first use and cached.
 */
final class EpollAvailability {

    /** The reason given when the JVM was started without native access for this module. */
    static final String NATIVE_ACCESS_DISABLED = "native access not enabled; add "
            + "--enable-native-access=io.katana.reactor.epoll (or ALL-UNNAMED on the class path)";

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
        try {
            if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
                return Availability.unavailable("epoll exists only on Linux; this is " + osName);
            }
            if (EpollEventLayout.forArchitecture(osArch).isEmpty()) {
                return Availability.unavailable("the epoll_event layout of architecture " + osArch
                        + " is not known to this backend (known: x86_64, aarch64)");
            }
            if (!nativeAccessEnabled) {
                return Availability.unavailable(NATIVE_ACCESS_DISABLED);
            }
            Throwable failure = probe.get();
            if (failure != null) {
                return Availability.unavailable("probe failed: " + failure.getMessage(), failure);
            }
            return Availability.AVAILABLE;
        } catch (Throwable unexpected) {
            return Availability.unavailable("probe failed: " + unexpected, unexpected);
        }
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
            // Linking can fail in exotic C libraries (a missing symbol); report it, never throw it.
            return failure instanceof ErrnoException ? failure
                    : new IllegalStateException("cannot call the C library through FFM: " + failure, failure);
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
