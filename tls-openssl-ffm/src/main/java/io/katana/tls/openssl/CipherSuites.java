package io.katana.tls.openssl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cipher suites this OpenSSL knows, by their standard (IANA) names as the JDK and the
 * configurations spell them, with OpenSSL's own names: read once from OpenSSL itself rather than
 * kept in a table that could drift. TLS 1.3 suites are those whose OpenSSL name is the standard one.
 *
 * <p><b>Threading:</b> immutable once built; safe from any thread.
 */
final class CipherSuites {
    private static final Map<String, String> OPENSSL_NAMES = load();

    private CipherSuites() {}

    /** {@return every suite's standard name, in OpenSSL's order} */
    static List<String> supported() {
        return List.copyOf(OPENSSL_NAMES.keySet());
    }

    /** {@return OpenSSL's name for a standard one, or null when OpenSSL lacks it} */
    static String opensslName(String standardName) {
        return OPENSSL_NAMES.get(standardName);
    }

    /** {@return whether the suite is one of TLS 1.3's (configured apart from TLS 1.2's in OpenSSL)} */
    static boolean isTls13(String standardName) {
        return standardName.equals(OPENSSL_NAMES.get(standardName));
    }

    /** The suites of the configuration split by protocol, as OpenSSL takes them; unknown names are left out. */
    record Split(List<String> tls13, List<String> tls12) {
        String tls13List() {
            return String.join(":", tls13);
        }

        String tls12List() {
            return String.join(":", tls12.stream().map(OPENSSL_NAMES::get).toList());
        }
    }

    static Split split(List<String> standardNames) {
        List<String> tls13 = new ArrayList<>();
        List<String> tls12 = new ArrayList<>();
        for (String name : standardNames) {
            if (OPENSSL_NAMES.containsKey(name)) {
                (isTls13(name) ? tls13 : tls12).add(name);
            }
        }
        return new Split(List.copyOf(tls13), List.copyOf(tls12));
    }

    private static Map<String, String> load() {
        MemorySegment ctx = LibSsl.pointer(LibSsl.SSL_CTX_NEW, LibSsl.pointer(LibSsl.TLS_SERVER_METHOD));
        if (ctx.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("SSL_CTX_new failed: " + OpenSslErrors.describe("no reason given"));
        }
        try (Arena arena = Arena.ofConfined()) {
            if (LibSsl.intOf(LibSsl.SSL_CTX_SET_CIPHER_LIST, ctx, arena.allocateFrom("ALL:COMPLEMENTOFALL")) != 1) {
                throw new IllegalStateException("SSL_CTX_set_cipher_list failed: " + OpenSslErrors.describe("no reason"));
            }
            MemorySegment stack = LibSsl.pointer(LibSsl.SSL_CTX_GET_CIPHERS, ctx);
            int count = LibSsl.intOf(LibSsl.OPENSSL_SK_NUM, stack);
            Map<String, String> names = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                MemorySegment cipher = (MemorySegment) LibSsl.OPENSSL_SK_VALUE.invokeExact(stack, i);
                String standard = LibSsl.string(LibSsl.pointer(LibSsl.SSL_CIPHER_STANDARD_NAME, cipher));
                String own = LibSsl.string(LibSsl.pointer(LibSsl.SSL_CIPHER_GET_NAME, cipher));
                if (standard != null && own != null) {
                    names.putIfAbsent(standard, own);
                }
            }
            return java.util.Collections.unmodifiableMap(names);
        } catch (Throwable t) {
            throw LibSsl.rethrow(t);
        } finally {
            LibSsl.voidOf(LibSsl.SSL_CTX_FREE, ctx);
            LibSsl.clearErrors();
        }
    }
}
