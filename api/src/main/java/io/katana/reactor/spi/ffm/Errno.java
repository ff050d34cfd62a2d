package io.katana.reactor.spi.ffm;

/**
 * Linux {@code errno} values the reactor acts on, with their symbolic names and the C library's
 * descriptions, so a failure can say exactly what the kernel answered.
 *
 * <p>The numbers are the generic Linux ones ({@code asm-generic/errno-base.h} and {@code
 * asm-generic/errno.h}), which x86_64 and aarch64 share. A backend reads the {@code errno} of a
 * call with {@link CapturedErrno}. Stateless; safe from any thread.
 */
public final class Errno {
    /** {@code EPERM}: Operation not permitted. */
    public static final int EPERM = 1;
    /** {@code ENOENT}: No such file or directory. */
    public static final int ENOENT = 2;
    /** {@code EINTR}: Interrupted system call. */
    public static final int EINTR = 4;
    /** {@code EIO}: Input/output error. */
    public static final int EIO = 5;
    /** {@code EBADF}: Bad file descriptor. */
    public static final int EBADF = 9;
    /** {@code EAGAIN}: Resource temporarily unavailable. */
    public static final int EAGAIN = 11;
    /** {@code ENOMEM}: Cannot allocate memory. */
    public static final int ENOMEM = 12;
    /** {@code EACCES}: Permission denied. */
    public static final int EACCES = 13;
    /** {@code EFAULT}: Bad address. */
    public static final int EFAULT = 14;
    /** {@code EEXIST}: File exists. */
    public static final int EEXIST = 17;
    /** {@code EINVAL}: Invalid argument. */
    public static final int EINVAL = 22;
    /** {@code ENFILE}: Too many open files in system. */
    public static final int ENFILE = 23;
    /** {@code EMFILE}: Too many open files. */
    public static final int EMFILE = 24;
    /** {@code ENOSPC}: No space left on device. */
    public static final int ENOSPC = 28;
    /** {@code EPIPE}: Broken pipe. */
    public static final int EPIPE = 32;
    /** {@code ENOSYS}: Function not implemented. */
    public static final int ENOSYS = 38;
    /** {@code ENONET}: Machine is not on the network. */
    public static final int ENONET = 64;
    /** {@code EPROTO}: Protocol error. */
    public static final int EPROTO = 71;
    /** {@code ENOTSOCK}: Socket operation on non-socket. */
    public static final int ENOTSOCK = 88;
    /** {@code EDESTADDRREQ}: Destination address required. */
    public static final int EDESTADDRREQ = 89;
    /** {@code EMSGSIZE}: Message too long. */
    public static final int EMSGSIZE = 90;
    /** {@code EPROTOTYPE}: Protocol wrong type for socket. */
    public static final int EPROTOTYPE = 91;
    /** {@code ENOPROTOOPT}: Protocol not available. */
    public static final int ENOPROTOOPT = 92;
    /** {@code EPROTONOSUPPORT}: Protocol not supported. */
    public static final int EPROTONOSUPPORT = 93;
    /** {@code EOPNOTSUPP}: Operation not supported. */
    public static final int EOPNOTSUPP = 95;
    /** {@code EAFNOSUPPORT}: Address family not supported by protocol. */
    public static final int EAFNOSUPPORT = 97;
    /** {@code EADDRINUSE}: Address already in use. */
    public static final int EADDRINUSE = 98;
    /** {@code EADDRNOTAVAIL}: Cannot assign requested address. */
    public static final int EADDRNOTAVAIL = 99;
    /** {@code ENETDOWN}: Network is down. */
    public static final int ENETDOWN = 100;
    /** {@code ENETUNREACH}: Network is unreachable. */
    public static final int ENETUNREACH = 101;
    /** {@code ENETRESET}: Network dropped connection on reset. */
    public static final int ENETRESET = 102;
    /** {@code ECONNABORTED}: Software caused connection abort. */
    public static final int ECONNABORTED = 103;
    /** {@code ECONNRESET}: Connection reset by peer. */
    public static final int ECONNRESET = 104;
    /** {@code ENOBUFS}: No buffer space available. */
    public static final int ENOBUFS = 105;
    /** {@code EISCONN}: Transport endpoint is already connected. */
    public static final int EISCONN = 106;
    /** {@code ENOTCONN}: Transport endpoint is not connected. */
    public static final int ENOTCONN = 107;
    /** {@code ETIMEDOUT}: Connection timed out. */
    public static final int ETIMEDOUT = 110;
    /** {@code ECONNREFUSED}: Connection refused. */
    public static final int ECONNREFUSED = 111;
    /** {@code EHOSTDOWN}: Host is down. */
    public static final int EHOSTDOWN = 112;
    /** {@code EHOSTUNREACH}: No route to host. */
    public static final int EHOSTUNREACH = 113;
    /** {@code EALREADY}: Operation already in progress. */
    public static final int EALREADY = 114;
    /** {@code EINPROGRESS}: Operation now in progress. */
    public static final int EINPROGRESS = 115;

    /** {@code EWOULDBLOCK}: Linux defines it as EAGAIN; both mean "try again once the fd is ready". */
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

    /**
     * {@return the symbolic name, such as {@code ECONNRESET}, or {@code errno 42} for one not listed here}
     *
     * @param errno a positive errno
     */
    public static String name(int errno) {
        String name = errno > 0 && errno < NAMES.length ? NAMES[errno] : null;
        return name != null ? name : "errno " + errno;
    }

    /**
     * {@return the C library's description, such as {@code Connection reset by peer}, or {@code unknown error}}
     *
     * @param errno a positive errno
     */
    public static String description(int errno) {
        String text = errno > 0 && errno < DESCRIPTIONS.length ? DESCRIPTIONS[errno] : null;
        return text != null ? text : "unknown error";
    }

    /**
     * {@return {@code NAME (description)}, the way failures are reported}
     *
     * @param errno a positive errno
     */
    public static String describe(int errno) {
        return name(errno) + " (" + description(errno) + ")";
    }

    /**
     * {@return whether the error means the peer went away: reset, broken pipe, or a connection torn down}
     *
     * @param errno a positive errno
     */
    public static boolean isPeerGone(int errno) {
        return errno == ECONNRESET || errno == EPIPE || errno == ECONNABORTED || errno == ENOTCONN
                || errno == ETIMEDOUT || errno == EHOSTUNREACH || errno == ENETUNREACH;
    }

    /**
     * Whether an {@code accept4} failure concerns only the connection being accepted: Linux passes
     * errors already pending on the new socket (and a peer that gave up) to the caller, who should
     * simply accept the next one.
     *
     * @param errno a positive errno from {@code accept4}
     * @return true when only that connection failed
     */
    public static boolean isAcceptOfOneConnectionFailed(int errno) {
        return errno == ECONNABORTED || errno == EINTR || errno == EPROTO || errno == ENOPROTOOPT
                || errno == EHOSTDOWN || errno == ENONET || errno == EHOSTUNREACH || errno == EOPNOTSUPP
                || errno == ENETDOWN || errno == ENETUNREACH || errno == EPERM;
    }

    /**
     * {@return whether the error means the process or the system ran out of file descriptors or memory for one}
     *
     * @param errno a positive errno
     */
    public static boolean isResourceExhaustion(int errno) {
        return errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM;
    }
}
