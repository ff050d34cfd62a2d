package io.katana.tls.openssl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callbacks OpenSSL makes into Java (SNI, ALPN selection, new client sessions): one upcall stub
 * each for the whole process, which finds the {@link OpenSslContext} by its {@code SSL_CTX}. A context
 * registers while open; a callback for a context already closed answers as if nothing were configured.
 * No exception may leave an upcall (it would end the JVM), so each catches everything and logs it.
 *
 * <p><b>Threading:</b> callbacks run on the thread that drives the {@code SSL}, inside its call.
 */
final class Callbacks {
    private static final Logger LOG = LoggerFactory.getLogger(Callbacks.class);
    private static final Map<Long, OpenSslContext> CONTEXTS = new ConcurrentHashMap<>();

    static final MemorySegment SERVER_NAME = stub("serverName",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    static final MemorySegment ALPN_SELECT = stub("selectApplicationProtocol",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
    static final MemorySegment NEW_SESSION = stub("newSession", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    private Callbacks() {}

    static void register(MemorySegment ctx, OpenSslContext context) {
        CONTEXTS.put(ctx.address(), context);
    }

    static void unregister(MemorySegment ctx) {
        CONTEXTS.remove(ctx.address());
    }

    private static OpenSslContext contextOf(MemorySegment ssl) {
        return CONTEXTS.get(LibSsl.pointer(LibSsl.SSL_GET_SSL_CTX, ssl).address());
    }

    /** {@code int (*)(SSL *, int *alert, void *arg)}: picks the identity for the name the client asked for. */
    private static int serverName(MemorySegment ssl, MemorySegment alert, MemorySegment arg) {
        try {
            OpenSslContext context = contextOf(ssl);
            return context == null ? LibSsl.SSL_TLSEXT_ERR_OK : context.chooseIdentity(ssl);
        } catch (Throwable t) {
            LOG.error("TLS server name callback failed; the default certificate is used", t);
            return LibSsl.SSL_TLSEXT_ERR_OK;
        }
    }

    /** {@code int (*)(SSL *, const unsigned char **out, unsigned char *outlen, const unsigned char *in, unsigned int inlen, void *arg)}. */
    private static int selectApplicationProtocol(MemorySegment ssl, MemorySegment out, MemorySegment outLength,
            MemorySegment in, int inLength, MemorySegment arg) {
        try {
            OpenSslContext context = contextOf(ssl);
            return context == null ? LibSsl.SSL_TLSEXT_ERR_NOACK
                    : context.selectApplicationProtocol(out, outLength, in, inLength);
        } catch (Throwable t) {
            LOG.error("TLS ALPN callback failed; the handshake is refused", t);
            return LibSsl.SSL_TLSEXT_ERR_ALERT_FATAL;
        }
    }

    /** {@code int (*)(SSL *, SSL_SESSION *)}: 1 keeps the session's reference, 0 lets OpenSSL drop it. */
    private static int newSession(MemorySegment ssl, MemorySegment session) {
        try {
            OpenSslContext context = contextOf(ssl);
            return context != null && context.sessionCreated(ssl, session) ? 1 : 0;
        } catch (Throwable t) {
            LOG.error("TLS new-session callback failed; the session is not cached", t);
            return 0;
        }
    }

    private static MemorySegment stub(String method, FunctionDescriptor descriptor) {
        try {
            MethodType type = descriptor.toMethodType();
            return Linker.nativeLinker().upcallStub(MethodHandles.lookup().findStatic(Callbacks.class, method, type),
                    descriptor, Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("callback " + method + " missing", e);
        }
    }
}
