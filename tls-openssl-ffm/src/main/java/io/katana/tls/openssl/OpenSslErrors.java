package io.katana.tls.openssl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Reads OpenSSL's error queue into words: every queued error as {@code ERR_error_string_n} spells it
 * (library, reason), and a certificate check's own reason when there is one. Reading empties the queue,
 * so the next call on this thread starts clean. Key bytes never reach OpenSSL's error strings, which
 * name only libraries, functions and reasons.
 *
 * <p><b>Threading:</b> OpenSSL's queue is per thread; call on the thread whose call failed.
 */
final class OpenSslErrors {
    private static final int TEXT_BYTES = 256;

    private OpenSslErrors() {}

    /** {@return the queued errors, oldest first, separated by "; ", or null when the queue is empty} */
    static String drain() {
        long code = LibSsl.nextError();
        if (code == 0) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(TEXT_BYTES);
            while (code != 0) {
                LibSsl.ERR_ERROR_STRING_N.invokeExact(code, buffer, (long) TEXT_BYTES);
                if (!text.isEmpty()) {
                    text.append("; ");
                }
                text.append(buffer.getString(0));
                code = LibSsl.nextError();
            }
        } catch (Throwable t) {
            throw LibSsl.rethrow(t);
        }
        return text.toString();
    }

    /** {@return what went wrong in a failed OpenSSL call: its queued errors, or {@code fallback}} */
    static String describe(String fallback) {
        String queued = drain();
        return queued != null ? queued : fallback;
    }

    /** {@return the reason of a failed certificate check, such as "certificate has expired"} */
    static String verifyReason(long code) {
        try {
            return LibSsl.string((MemorySegment) LibSsl.X509_VERIFY_CERT_ERROR_STRING.invokeExact(code));
        } catch (Throwable t) {
            throw LibSsl.rethrow(t);
        }
    }
}
