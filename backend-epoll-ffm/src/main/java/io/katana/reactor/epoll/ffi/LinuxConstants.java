package io.katana.reactor.epoll.ffi;

/**
 * Flag and option numbers from the Linux headers that the reactor passes to the kernel. x86_64 and
 * aarch64 agree on every value here (both use the generic definitions).
 */
public final class LinuxConstants {
    private LinuxConstants() {}

    // epoll_create1, epoll_ctl, epoll_wait (sys/epoll.h)
    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLPRI = 0x002;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLEXCLUSIVE = 1 << 28;
    public static final int EPOLLET = 1 << 31;

    // eventfd (sys/eventfd.h)
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = 0x800;

    // accept4 (bits/socket_type.h); the socket options and AF_* are in the SPI's SocketCalls and SocketAddressCodec
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    // send flags
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_MORE = 0x8000;

    /** The most iovec entries one writev accepts ({@code IOV_MAX}). */
    public static final int IOV_MAX = 1024;
}
