package io.katana.tls.openssl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The functions of {@code libssl.so.3} and {@code libcrypto.so.3} this engine calls, as static final
 * method handles (so the JIT binds them like direct calls), with the constants of OpenSSL 3.0's
 * headers they need. Macros of the headers ({@code SSL_CTX_set_min_proto_version}, {@code
 * BIO_pending}...) are spelled as the {@code *_ctrl} calls they expand to.
 *
 * <p>Loaded only after {@link OpenSslAvailability} found the libraries and native access enabled;
 * touching it otherwise fails class initialisation. The copying calls on memory BIOs are {@link
 * Linker.Option#critical(boolean) critical} with heap access: they are short and never call back into
 * Java, so they may read and write heap arrays in place. Calls that may run callbacks are not.
 *
 * <p><b>Threading:</b> stateless; OpenSSL objects passed in follow OpenSSL's rules (an {@code SSL} is
 * used by one thread at a time; an {@code SSL_CTX} is shared once configured).
 */
final class LibSsl {
    static final String LIBSSL = "libssl.so.3";
    static final String LIBCRYPTO = "libcrypto.so.3";

    static final int SSL_ERROR_NONE = 0;
    static final int SSL_ERROR_SSL = 1;
    static final int SSL_ERROR_WANT_READ = 2;
    static final int SSL_ERROR_WANT_WRITE = 3;
    static final int SSL_ERROR_SYSCALL = 5;
    static final int SSL_ERROR_ZERO_RETURN = 6;

    static final int BIO_CTRL_PENDING = 10;
    static final int BIO_C_SET_BUF_MEM_EOF_RETURN = 130;

    static final int SSL_CTRL_MODE = 33;
    static final int SSL_CTRL_SET_SESS_CACHE_SIZE = 42;
    static final int SSL_CTRL_SET_SESS_CACHE_MODE = 44;
    static final int SSL_CTRL_SET_TLSEXT_SERVERNAME_CB = 53;
    static final int SSL_CTRL_SET_TLSEXT_HOSTNAME = 55;
    static final int SSL_CTRL_SET_MIN_PROTO_VERSION = 123;
    static final int SSL_CTRL_SET_MAX_PROTO_VERSION = 124;

    static final long SSL_MODE_RELEASE_BUFFERS = 0x10;
    static final long SSL_OP_NO_COMPRESSION = 1L << 17;
    static final long SSL_OP_CIPHER_SERVER_PREFERENCE = 1L << 22;
    static final long SSL_OP_NO_RENEGOTIATION = 1L << 30;

    static final int SSL_VERIFY_PEER = 1;
    static final int SSL_VERIFY_FAIL_IF_NO_PEER_CERT = 2;
    static final int SSL_SESS_CACHE_CLIENT = 1;
    static final int SSL_SESS_CACHE_SERVER = 2;
    static final int SSL_SESS_CACHE_NO_INTERNAL = 0x300;
    static final int TLSEXT_NAMETYPE_HOST_NAME = 0;
    static final int SSL_TLSEXT_ERR_OK = 0;
    static final int SSL_TLSEXT_ERR_ALERT_FATAL = 2;
    static final int SSL_TLSEXT_ERR_NOACK = 3;
    static final int TLS1_2_VERSION = 0x303;
    static final int TLS1_3_VERSION = 0x304;
    static final long X509_V_OK = 0;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = SymbolLookup.libraryLookup(LIBSSL, Arena.global())
            .or(SymbolLookup.libraryLookup(LIBCRYPTO, Arena.global()));

    private static final FunctionDescriptor P_P = FunctionDescriptor.of(ADDRESS, ADDRESS);
    private static final FunctionDescriptor P_V = FunctionDescriptor.of(ADDRESS);
    private static final FunctionDescriptor I_P = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    private static final FunctionDescriptor V_P = FunctionDescriptor.ofVoid(ADDRESS);
    private static final FunctionDescriptor I_PPI = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor L_PILP = FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS);
    private static final FunctionDescriptor I_PP = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);

    // ---------------------------------------------------------------- libcrypto
    static final MethodHandle OPENSSL_VERSION_NUM = handle("OpenSSL_version_num", FunctionDescriptor.of(JAVA_LONG));
    static final MethodHandle OPENSSL_VERSION = handle("OpenSSL_version", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    static final MethodHandle ERR_GET_ERROR = handle("ERR_get_error", FunctionDescriptor.of(JAVA_LONG));
    static final MethodHandle ERR_CLEAR_ERROR = handle("ERR_clear_error", FunctionDescriptor.ofVoid());
    static final MethodHandle ERR_ERROR_STRING_N = handle("ERR_error_string_n",
            FunctionDescriptor.ofVoid(JAVA_LONG, ADDRESS, JAVA_LONG));
    static final MethodHandle X509_VERIFY_CERT_ERROR_STRING = handle("X509_verify_cert_error_string",
            FunctionDescriptor.of(ADDRESS, JAVA_LONG));

    static final MethodHandle BIO_S_MEM = handle("BIO_s_mem", P_V);
    static final MethodHandle BIO_NEW = handle("BIO_new", P_P);
    static final MethodHandle BIO_FREE = handle("BIO_free", I_P);
    static final MethodHandle BIO_CTRL = handle("BIO_ctrl", L_PILP, Linker.Option.critical(false));
    static final MethodHandle BIO_READ = handle("BIO_read", I_PPI, Linker.Option.critical(true));
    static final MethodHandle BIO_WRITE = handle("BIO_write", I_PPI, Linker.Option.critical(true));

    static final MethodHandle D2I_X509 = handle("d2i_X509", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    static final MethodHandle I2D_X509 = handle("i2d_X509", I_PP);
    static final MethodHandle X509_FREE = handle("X509_free", V_P);
    static final MethodHandle D2I_PKCS8_PRIV_KEY_INFO = handle("d2i_PKCS8_PRIV_KEY_INFO",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    static final MethodHandle PKCS8_PRIV_KEY_INFO_FREE = handle("PKCS8_PRIV_KEY_INFO_free", V_P);
    static final MethodHandle EVP_PKCS82PKEY = handle("EVP_PKCS82PKEY", P_P);
    static final MethodHandle EVP_PKEY_FREE = handle("EVP_PKEY_free", V_P);
    static final MethodHandle X509_STORE_ADD_CERT = handle("X509_STORE_add_cert", I_PP);
    static final MethodHandle X509_VERIFY_PARAM_SET1_IP_ASC = handle("X509_VERIFY_PARAM_set1_ip_asc", I_PP);

    static final MethodHandle OPENSSL_SK_NEW_NULL = handle("OPENSSL_sk_new_null", P_V);
    static final MethodHandle OPENSSL_SK_PUSH = handle("OPENSSL_sk_push", I_PP);
    static final MethodHandle OPENSSL_SK_FREE = handle("OPENSSL_sk_free", V_P);
    static final MethodHandle OPENSSL_SK_NUM = handle("OPENSSL_sk_num", I_P);
    static final MethodHandle OPENSSL_SK_VALUE = handle("OPENSSL_sk_value", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle OPENSSL_SK_POP_FREE = handle("OPENSSL_sk_pop_free", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    static final MethodHandle X509_CHAIN_UP_REF = handle("X509_chain_up_ref", P_P);
    /** {@code X509_free} itself, for {@code OPENSSL_sk_pop_free}. */
    static final MemorySegment X509_FREE_FUNCTION = LOOKUP.find("X509_free").orElseThrow();

    // ---------------------------------------------------------------- libssl: contexts
    static final MethodHandle TLS_SERVER_METHOD = handle("TLS_server_method", P_V);
    static final MethodHandle TLS_CLIENT_METHOD = handle("TLS_client_method", P_V);
    static final MethodHandle SSL_CTX_NEW = handle("SSL_CTX_new", P_P);
    static final MethodHandle SSL_CTX_FREE = handle("SSL_CTX_free", V_P);
    static final MethodHandle SSL_CTX_CTRL = handle("SSL_CTX_ctrl", L_PILP);
    static final MethodHandle SSL_CTX_CALLBACK_CTRL = handle("SSL_CTX_callback_ctrl",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS));
    static final MethodHandle SSL_CTX_SET_OPTIONS = handle("SSL_CTX_set_options",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
    static final MethodHandle SSL_CTX_SET_CIPHER_LIST = handle("SSL_CTX_set_cipher_list", I_PP);
    static final MethodHandle SSL_CTX_SET_CIPHERSUITES = handle("SSL_CTX_set_ciphersuites", I_PP);
    static final MethodHandle SSL_CTX_GET_CIPHERS = handle("SSL_CTX_get_ciphers", P_P);
    static final MethodHandle SSL_CTX_USE_CERT_AND_KEY = handle("SSL_CTX_use_cert_and_key",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle SSL_CTX_CHECK_PRIVATE_KEY = handle("SSL_CTX_check_private_key", I_P);
    static final MethodHandle SSL_CTX_SET_VERIFY = handle("SSL_CTX_set_verify",
            FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS));
    static final MethodHandle SSL_CTX_GET_CERT_STORE = handle("SSL_CTX_get_cert_store", P_P);
    static final MethodHandle SSL_CTX_SET_DEFAULT_VERIFY_PATHS = handle("SSL_CTX_set_default_verify_paths", I_P);
    static final MethodHandle SSL_CTX_ADD_CLIENT_CA = handle("SSL_CTX_add_client_CA", I_PP);
    static final MethodHandle SSL_CTX_SET_SESSION_ID_CONTEXT = handle("SSL_CTX_set_session_id_context", I_PPI);
    static final MethodHandle SSL_CTX_SET_TIMEOUT = handle("SSL_CTX_set_timeout",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
    static final MethodHandle SSL_CTX_SET_ALPN_SELECT_CB = handle("SSL_CTX_set_alpn_select_cb",
            FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle SSL_CTX_SET_ALPN_PROTOS = handle("SSL_CTX_set_alpn_protos", I_PPI);
    static final MethodHandle SSL_CTX_SESS_SET_NEW_CB = handle("SSL_CTX_sess_set_new_cb",
            FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));

    // ---------------------------------------------------------------- libssl: connections
    static final MethodHandle SSL_NEW = handle("SSL_new", P_P);
    static final MethodHandle SSL_FREE = handle("SSL_free", V_P);
    static final MethodHandle SSL_SET_BIO = handle("SSL_set_bio", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle SSL_SET_ACCEPT_STATE = handle("SSL_set_accept_state", V_P);
    static final MethodHandle SSL_SET_CONNECT_STATE = handle("SSL_set_connect_state", V_P);
    static final MethodHandle SSL_DO_HANDSHAKE = handle("SSL_do_handshake", I_P);
    static final MethodHandle SSL_READ = handle("SSL_read", I_PPI);
    static final MethodHandle SSL_WRITE = handle("SSL_write", I_PPI);
    static final MethodHandle SSL_SHUTDOWN = handle("SSL_shutdown", I_P);
    static final MethodHandle SSL_GET_ERROR = handle("SSL_get_error", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
            Linker.Option.critical(false));
    static final MethodHandle SSL_PENDING = handle("SSL_pending", I_P, Linker.Option.critical(false));
    static final MethodHandle SSL_CTRL = handle("SSL_ctrl", L_PILP);
    static final MethodHandle SSL_SET1_HOST = handle("SSL_set1_host", I_PP);
    static final MethodHandle SSL_GET0_PARAM = handle("SSL_get0_param", P_P);
    static final MethodHandle SSL_GET_SSL_CTX = handle("SSL_get_SSL_CTX", P_P, Linker.Option.critical(false));
    static final MethodHandle SSL_CERTS_CLEAR = handle("SSL_certs_clear", V_P);
    static final MethodHandle SSL_USE_CERT_AND_KEY = handle("SSL_use_cert_and_key",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle SSL_GET_SERVERNAME = handle("SSL_get_servername",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle SSL_GET_VERSION = handle("SSL_get_version", P_P, Linker.Option.critical(false));
    static final MethodHandle SSL_GET_CURRENT_CIPHER = handle("SSL_get_current_cipher", P_P, Linker.Option.critical(false));
    static final MethodHandle SSL_CIPHER_STANDARD_NAME = handle("SSL_CIPHER_standard_name", P_P);
    static final MethodHandle SSL_CIPHER_GET_NAME = handle("SSL_CIPHER_get_name", P_P);
    static final MethodHandle SSL_GET0_ALPN_SELECTED = handle("SSL_get0_alpn_selected",
            FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS), Linker.Option.critical(true));
    static final MethodHandle SSL_SESSION_REUSED = handle("SSL_session_reused", I_P, Linker.Option.critical(false));
    static final MethodHandle SSL_GET_VERIFY_RESULT = handle("SSL_get_verify_result",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    static final MethodHandle SSL_GET1_PEER_CERTIFICATE = handle("SSL_get1_peer_certificate", P_P);
    static final MethodHandle SSL_GET_PEER_CERT_CHAIN = handle("SSL_get_peer_cert_chain", P_P);
    static final MethodHandle SSL_GET_CERTIFICATE = handle("SSL_get_certificate", P_P);
    static final MethodHandle SSL_GET_SESSION = handle("SSL_get_session", P_P);
    static final MethodHandle SSL_SET_SESSION = handle("SSL_set_session", I_PP);
    static final MethodHandle SSL_SESSION_GET_ID = handle("SSL_SESSION_get_id", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle SSL_SESSION_FREE = handle("SSL_SESSION_free", V_P);
    static final MethodHandle SSL_SESSION_IS_RESUMABLE = handle("SSL_SESSION_is_resumable", I_P);

    private LibSsl() {}

    private static MethodHandle handle(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LOOKUP.find(name).orElseThrow(
                () -> new UnsatisfiedLinkError("OpenSSL function " + name + " not found in " + LIBSSL + "/" + LIBCRYPTO));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** Turns a failure of invokeExact, which only declares {@code Throwable}, into an unchecked one. */
    static RuntimeException rethrow(Throwable failure) {
        if (failure instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("OpenSSL call failed: " + failure, failure);
    }

    // ---------------------------------------------------------------- the calls made per record, wrapped

    static int bioRead(MemorySegment bio, MemorySegment into, int length) {
        try {
            return (int) BIO_READ.invokeExact(bio, into, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int bioWrite(MemorySegment bio, MemorySegment from, int length) {
        try {
            return (int) BIO_WRITE.invokeExact(bio, from, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long bioCtrl(MemorySegment bio, int command, long larg) {
        try {
            return (long) BIO_CTRL.invokeExact(bio, command, larg, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int sslRead(MemorySegment ssl, MemorySegment into, int length) {
        try {
            return (int) SSL_READ.invokeExact(ssl, into, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int sslWrite(MemorySegment ssl, MemorySegment from, int length) {
        try {
            return (int) SSL_WRITE.invokeExact(ssl, from, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int doHandshake(MemorySegment ssl) {
        try {
            return (int) SSL_DO_HANDSHAKE.invokeExact(ssl);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int shutdown(MemorySegment ssl) {
        try {
            return (int) SSL_SHUTDOWN.invokeExact(ssl);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getError(MemorySegment ssl, int result) {
        try {
            return (int) SSL_GET_ERROR.invokeExact(ssl, result);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int pending(MemorySegment ssl) {
        try {
            return (int) SSL_PENDING.invokeExact(ssl);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void clearErrors() {
        try {
            ERR_CLEAR_ERROR.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long nextError() {
        try {
            return (long) ERR_GET_ERROR.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Calls a function of signature {@code T *f(U *)} or {@code T *f(void)} given as {@code handle}. */
    static MemorySegment pointer(MethodHandle handle, MemorySegment argument) {
        try {
            return (MemorySegment) handle.invokeExact(argument);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static MemorySegment pointer(MethodHandle handle) {
        try {
            return (MemorySegment) handle.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Calls a function of signature {@code int f(T *)}. */
    static int intOf(MethodHandle handle, MemorySegment argument) {
        try {
            return (int) handle.invokeExact(argument);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Calls a function of signature {@code int f(T *, U *)}. */
    static int intOf(MethodHandle handle, MemorySegment first, MemorySegment second) {
        try {
            return (int) handle.invokeExact(first, second);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Calls a function of signature {@code void f(T *)}. */
    static void voidOf(MethodHandle handle, MemorySegment argument) {
        try {
            handle.invokeExact(argument);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long ctxCtrl(MemorySegment ctx, int command, long larg, MemorySegment parg) {
        try {
            return (long) SSL_CTX_CTRL.invokeExact(ctx, command, larg, parg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long sslCtrl(MemorySegment ssl, int command, long larg, MemorySegment parg) {
        try {
            return (long) SSL_CTRL.invokeExact(ssl, command, larg, parg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@return the NUL-terminated string at {@code pointer}, or null for NULL} */
    static String string(MemorySegment pointer) {
        return pointer.equals(MemorySegment.NULL) ? null : pointer.reinterpret(Integer.MAX_VALUE).getString(0);
    }
}
