package io.katana.reactor.spi.ffm;

import io.katana.reactor.Availability;
import java.util.Locale;
import java.util.function.Function;

/**
 * The checks a module that calls Linux through the Foreign Function and Memory API makes before it
 * can say it is available: Linux first, then native access for the module, then the module's own
 * checks and probe. In that order no restricted FFM call is made before native access is known to
 * be enabled, and each refusal says what is missing and what to do.
 *
 * <p><b>Threading:</b> stateless; safe from any thread.
 */
public final class NativeAvailability {
    private NativeAvailability() {}

    /**
     * {@return the reason given when the JVM was started without native access for {@code module}}
     *
     * @param module the module's name, such as {@code io.katana.reactor.epoll}
     */
    public static String nativeAccessDisabled(String module) {
        return "native access not enabled; add --enable-native-access=" + module
                + " (or ALL-UNNAMED on the class path)";
    }

    /**
     * The decision for the given facts. Never throws: anything {@code moduleChecks} throws makes the
     * module unavailable with {@code probe failed: } and the throwable.
     *
     * @param osName the {@code os.name} property
     * @param offLinux the reason when {@code osName} is not Linux, given {@code osName}
     * @param module the module's name, for the advice when native access is off
     * @param nativeAccessEnabled whether the module has native access
     * @param moduleChecks the module's own checks, run only on Linux with native access
     * @return the availability
     */
    public static Availability evaluate(String osName, Function<String, String> offLinux, String module,
            boolean nativeAccessEnabled, Checks moduleChecks) {
        try {
            if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
                return Availability.unavailable(offLinux.apply(osName));
            }
            if (!nativeAccessEnabled) {
                return Availability.unavailable(nativeAccessDisabled(module));
            }
            return moduleChecks.run();
        } catch (Throwable unexpected) {
            return Availability.unavailable("probe failed: " + unexpected, unexpected);
        }
    }

    /**
     * {@return what a probe reports when it met {@code failure}}: an {@link ErrnoException} as it is
     * (it names the call and the errno), anything else, such as a C library without a symbol the
     * linker looked for, wrapped in an exception that says the C library could not be called
     *
     * @param failure what the probe caught
     */
    public static Throwable probeFailure(Throwable failure) {
        return failure instanceof ErrnoException ? failure
                : new IllegalStateException("cannot call the C library through FFM: " + failure, failure);
    }

    /** A module's own checks: its availability, or a throw that {@link #evaluate} reports. */
    @FunctionalInterface
    public interface Checks {
        /**
         * {@return the module's availability, once Linux and native access are known}
         *
         * @throws Throwable anything, such as what a probing downcall throws; it makes the module unavailable
         */
        Availability run() throws Throwable;
    }
}
