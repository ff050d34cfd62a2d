package io.katana.reactor.epoll.ffi;

/**
 * Linux {@code errno} values the reactor acts on, with their symbolic names and the C library's
 * descriptions, so a failure can say exactly what the kernel answered.
 *
 * <p>The numbers are the generic Linux ones ({@code asm-generic/errno-base.h} and {@code
 * asm-generic/errno.h}), which x86_64 and aarch64 share. Stateless; safe from any thread.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOSPC = 28;
    public static final int EPIPE = 32;
    public static final int ENOSYS = 38;
    public static final int ENONET = 64;
    public static final int EPROTO = 71;
    public static final int ENOTSOCK = 88;
    public static final int EDESTADDRREQ = 89;
    public static final int EMSGSIZE = 90;
    public static final int EPROTOTYPE = 91;
    public static final int ENOPROTOOPT = 92;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ENETRESET = 102;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int EISCONN = 106;
    public static final int ENOTCONN = 107;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTDOWN = 112;
    public static final int EHOSTUNREACH = 113;
    public static final int EALREADY = 114;
    public static final int EINPROGRESS = 115;

    /** Linux defines EWOULDBLOCK as EAGAIN; both names mean "try again once the fd is ready". */
    public static final int EWOULDBLOCK = EAGAIN;

    private static final String[] NAMES = new String[EINPROGRESS + 1];
    private static final String[] DESCRIPTIONS = new String[EINPROGRESS + 1];

    static {
        describe(EPERM, "EPERM", "Operation not permitted");
        describe(ENOENT, "ENOENT", "No such file or directory");
        describe(EINTR, "EINTR", "Interrupted system call");
        describe(EIO, "EIO", "Input/output error");
        describe(EBADF, "EBADF", "Bad file descriptor");
        describe(EAGAIN, "EAGAIN", "Resource temporarily unavailable");
        describe(ENOMEM, "ENOMEM", "Cannot allocate memory");
        describe(EACCES, "EACCES", "Permission denied");
        describe(EFAULT, "EFAULT", "Bad address");
        describe(EEXIST, "EEXIST", "File exists");
        describe(EINVAL, "EINVAL", "Invalid argument");
        describe(ENFILE, "ENFILE", "Too many open files in system");
        describe(EMFILE, "EMFILE", "Too many open files");
        describe(ENOSPC, "ENOSPC", "No space left on device");
        describe(EPIPE, "EPIPE", "Broken pipe");
        describe(ENOSYS, "ENOSYS", "Function not implemented");
        describe(ENONET, "ENONET", "Machine is not on the network");
        describe(EPROTO, "EPROTO", "Protocol error");
        describe(ENOTSOCK, "ENOTSOCK", "Socket operation on non-socket");
        describe(EDESTADDRREQ, "EDESTADDRREQ", "Destination address required");
        describe(EMSGSIZE, "EMSGSIZE", "Message too long");
        describe(EPROTOTYPE, "EPROTOTYPE", "Protocol wrong type for socket");
        describe(ENOPROTOOPT, "ENOPROTOOPT", "Protocol not available");
        describe(EPROTONOSUPPORT, "EPROTONOSUPPORT", "Protocol not supported");
        describe(EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported");
        describe(EAFNOSUPPORT, "EAFNOSUPPORT", "Address family not supported by protocol");
        describe(EADDRINUSE, "EADDRINUSE", "Address already in use");
        describe(EADDRNOTAVAIL, "EADDRNOTAVAIL", "Cannot assign requested address");
        describe(ENETDOWN, "ENETDOWN", "Network is down");
        describe(ENETUNREACH, "ENETUNREACH", "Network is unreachable");
        describe(ENETRESET, "ENETRESET", "Network dropped connection on reset");
        describe(ECONNABORTED, "ECONNABORTED", "Software caused connection abort");
        describe(ECONNRESET, "ECONNRESET", "Connection reset by peer");
        describe(ENOBUFS, "ENOBUFS", "No buffer space available");
        describe(EISCONN, "EISCONN", "Transport endpoint is already connected");
        describe(ENOTCONN, "ENOTCONN", "Transport endpoint is not connected");
        describe(ETIMEDOUT, "ETIMEDOUT", "Connection timed out");
        describe(ECONNREFUSED, "ECONNREFUSED", "Connection refused");
        describe(EHOSTDOWN, "EHOSTDOWN", "Host is down");
        describe(EHOSTUNREACH, "EHOSTUNREACH", "No route to host");
        describe(EALREADY, "EALREADY", "Operation already in progress");
        describe(EINPROGRESS, "EINPROGRESS", "Operation now in progress");
    }

    private Errno() {}

    private static void describe(int errno, String name, String description) {
        NAMES[errno] = name;
        DESCRIPTIONS[errno] = description;
    }

    /** The symbolic name, such as {@code ECONNRESET}, or {@code errno 42} for one not listed here. */
    public static String name(int errno) {
        String name = errno > 0 && errno < NAMES.length ? NAMES[errno] : null;
        return name != null ? name : "errno " + errno;
    }

    /** The C library's description, such as {@code Connection reset by peer}, or {@code unknown error}. */
    public static String description(int errno) {
        String text = errno > 0 && errno < DESCRIPTIONS.length ? DESCRIPTIONS[errno] : null;
        return text != null ? text : "unknown error";
    }

    /** {@code NAME (description)}, the way failures are reported. */
    public static String describe(int errno) {
        return name(errno) + " (" + description(errno) + ")";
    }

    /** Whether the error means the peer went away: reset, broken pipe, or a connection torn down. */
    public static boolean isPeerGone(int errno) {
        return errno == ECONNRESET || errno == EPIPE || errno == ECONNABORTED || errno == ENOTCONN
                || errno == ETIMEDOUT || errno == EHOSTUNREACH || errno == ENETUNREACH;
    }

    /**
     * Whether an {@code accept4} failure concerns only the connection being accepted: Linux passes
     * errors already pending on the new socket (and a peer that gave up) to the caller, who should
     * simply accept the next one.
     */
    public static boolean isAcceptOfOneConnectionFailed(int errno) {
        return errno == ECONNABORTED || errno == EINTR || errno == EPROTO || errno == ENOPROTOOPT
                || errno == EHOSTDOWN || errno == ENONET || errno == EHOSTUNREACH || errno == EOPNOTSUPP
                || errno == ENETDOWN || errno == ENETUNREACH || errno == EPERM;
    }

    /** Whether the error means the process or the system ran out of file descriptors or memory for one. */
    public static boolean isResourceExhaustion(int errno) {
        return errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM;
    }
}
