package io.katana.tls.openssl;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.katana.reactor.Availability;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.util.Locale;

/**
 * Decides, once per process, whether the {@code openssl} engine can run: Linux, native access enabled
 * for this module, {@code libssl.so.3} and {@code libcrypto.so.3} found, and OpenSSL 3.0 or newer. The
 * checks run in that order, so no restricted FFM call is made before native access is known to be
 * enabled.
 *
 * <p><b>Threading:</b> safe from any thread; the result is computed on first use and cached.
 */
final class OpenSslAvailability {

    /** The reason given when the JVM was started without native access for this module. */
    static final String NATIVE_ACCESS_DISABLED = "native access not enabled; add "
            + "--enable-native-access=io.katana.tls.openssl (or ALL-UNNAMED on the class path)";

    static final long MINIMUM_VERSION = 0x30000000L;

    private OpenSslAvailability() {}

    /** Whether this JVM can run the engine, computed once. Never throws. */
    static Availability current() {
        return Cached.RESULT;
    }

    /**
     * The decision for the given facts: {@code libssl} and {@code libcrypto} are the library names to
     * load, which a test replaces with one that does not exist.
     */
    static Availability evaluate(String osName, boolean nativeAccessEnabled, String libssl, String libcrypto) {
        try {
            if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
                return Availability.unavailable("the openssl engine loads " + libssl
                        + " the way Linux names it; this is " + osName + " (the jdk engine runs here)");
            }
            if (!nativeAccessEnabled) {
                return Availability.unavailable(NATIVE_ACCESS_DISABLED);
            }
            Arena arena = Arena.global(); // a found library stays loaded, as OpenSSL expects
            SymbolLookup ssl;
            SymbolLookup crypto;
            try {
                ssl = SymbolLookup.libraryLookup(libssl, arena);
                crypto = SymbolLookup.libraryLookup(libcrypto, arena);
            } catch (IllegalArgumentException missing) {
                return Availability.unavailable("cannot load OpenSSL 3 (" + missing.getMessage()
                        + "); install it (Debian and Ubuntu: apt-get install libssl3)", missing);
            }
            if (ssl.find("SSL_CTX_new").isEmpty()) {
                return Availability.unavailable(libssl + " has no SSL_CTX_new: it is not OpenSSL's libssl");
            }
            var versionSymbol = crypto.find("OpenSSL_version_num");
            if (versionSymbol.isEmpty()) {
                return Availability.unavailable(libcrypto + " has no OpenSSL_version_num: it is older than OpenSSL 1.1");
            }
            long version = (long) Linker.nativeLinker()
                    .downcallHandle(versionSymbol.get(), FunctionDescriptor.of(JAVA_LONG)).invokeExact();
            if (version < MINIMUM_VERSION) {
                return Availability.unavailable(libcrypto + " is OpenSSL " + versionText(version)
                        + ", older than the 3.0 this engine needs");
            }
            return Availability.AVAILABLE;
        } catch (Throwable unexpected) {
            return Availability.unavailable("probe failed: " + unexpected, unexpected);
        }
    }

    /** {@return 0x30000130 as "3.0.19", and 1.x's 0x1010117f (MNNFFPPS) as "1.1.1"} */
    static String versionText(long version) {
        long major = (version >>> 28) & 0xf;
        long minor = (version >>> 20) & 0xff;
        long patch = major >= 3 ? (version >>> 4) & 0xff : (version >>> 12) & 0xff;
        return major + "." + minor + "." + patch;
    }

    private static final class Cached {
        static final Availability RESULT = evaluate(
                System.getProperty("os.name", ""),
                OpenSslAvailability.class.getModule().isNativeAccessEnabled(),
                LibSsl.LIBSSL, LibSsl.LIBCRYPTO);
    }
}
