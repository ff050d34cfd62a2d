package io.katana.tls.openssl;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.katana.reactor.Availability;
import io.katana.reactor.spi.ffm.NativeAvailability;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;

/**
 * Decides, once per process, whether the {@code openssl} engine can run: Linux, native access enabled
 * for this module, {@code libssl.so.3} and {@code libcrypto.so.3} found, and OpenSSL 3.0 or newer. The
 * checks run in that order, so no restricted FFM call is made before native access is known to be
 * enabled.
 *
 * <p><b>Threading:</b> safe from any thread; the result is computed on first use and cached.
 */
final class OpenSslAvailability {

    /** The module whose native access counts, named in the advice when it is off. */
    static final String MODULE = "io.katana.tls.openssl";

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
        return NativeAvailability.evaluate(osName, os -> "the openssl engine loads " + libssl
                + " the way Linux names it; this is " + os + " (the jdk engine runs here)", MODULE,
                nativeAccessEnabled, () -> loads(libssl, libcrypto));
    }

    /** The checks after Linux and native access: both libraries load, and they are OpenSSL 3. */
    private static Availability loads(String libssl, String libcrypto) throws Throwable {
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
