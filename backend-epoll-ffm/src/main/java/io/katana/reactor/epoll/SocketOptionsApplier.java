package io.katana.reactor.epoll;

import static io.katana.reactor.epoll.ffi.LinuxConstants.IPPROTO_TCP;
import static io.katana.reactor.epoll.ffi.LinuxConstants.SOL_SOCKET;
import static io.katana.reactor.epoll.ffi.LinuxConstants.SO_RCVBUF;
import static io.katana.reactor.epoll.ffi.LinuxConstants.SO_REUSEADDR;
import static io.katana.reactor.epoll.ffi.LinuxConstants.SO_REUSEPORT;
import static io.katana.reactor.epoll.ffi.LinuxConstants.SO_SNDBUF;
import static io.katana.reactor.epoll.ffi.LinuxConstants.TCP_DEFER_ACCEPT;
import static io.katana.reactor.epoll.ffi.LinuxConstants.TCP_NODELAY;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.epoll.ffi.Syscalls;
import io.katana.reactor.spi.ffm.ErrnoException;
import io.katana.reactor.spi.ffm.SocketAddressCodec;
import java.net.InetSocketAddress;

/**
 * Opens listening and outgoing sockets with the options of {@link ListenOptions} and {@link
 * ConnectOptions}.
 *
 * <p>Everything a listener's connections need is set on the listening socket: Linux copies {@code
 * TCP_NODELAY}, {@code SO_RCVBUF} and {@code SO_SNDBUF} into every socket {@code accept4} returns
 * (checked by {@code ListenOptionsTest}), so an accepted connection costs no {@code setsockopt}.
 * {@code SO_RCVBUF} is set before {@code listen} so the window scale offered in the handshake fits it.
 *
 * <p>Stateless; the {@link Syscalls} passed in decide the thread.
 */
final class SocketOptionsApplier {
    private SocketOptionsApplier() {}

    /** A bound, listening, non-blocking socket; closed again if any step fails. */
    static int listening(Syscalls calls, InetSocketAddress address, ListenOptions options) throws ErrnoException {
        int fd = calls.tcpSocket(SocketAddressCodec.family(address));
        try {
            if (options.reuseAddress()) {
                calls.setIntOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
            }
            if (options.reusePort()) {
                calls.setIntOption(fd, SOL_SOCKET, SO_REUSEPORT, 1, "SO_REUSEPORT");
            }
            if (options.receiveBufferSize() > 0) {
                calls.setIntOption(fd, SOL_SOCKET, SO_RCVBUF, options.receiveBufferSize(), "SO_RCVBUF");
            }
            if (options.sendBufferSize() > 0) {
                calls.setIntOption(fd, SOL_SOCKET, SO_SNDBUF, options.sendBufferSize(), "SO_SNDBUF");
            }
            if (options.tcpNoDelay()) {
                calls.setIntOption(fd, IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY");
            }
            if (options.deferAcceptSeconds() > 0) {
                calls.setIntOption(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, options.deferAcceptSeconds(), "TCP_DEFER_ACCEPT");
            }
            calls.bind(fd, address);
            calls.listen(fd, options.backlog());
            return fd;
        } catch (ErrnoException | RuntimeException e) {
            calls.close(fd);
            throw e;
        }
    }

    /** A non-blocking socket for connecting to {@code address}; closed again if any step fails. */
    static int outgoing(Syscalls calls, InetSocketAddress address, ConnectOptions options) throws ErrnoException {
        int fd = calls.tcpSocket(SocketAddressCodec.family(address));
        try {
            if (options.tcpNoDelay()) {
                calls.setIntOption(fd, IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY");
            }
            if (options.receiveBufferSize() > 0) {
                calls.setIntOption(fd, SOL_SOCKET, SO_RCVBUF, options.receiveBufferSize(), "SO_RCVBUF");
            }
            if (options.sendBufferSize() > 0) {
                calls.setIntOption(fd, SOL_SOCKET, SO_SNDBUF, options.sendBufferSize(), "SO_SNDBUF");
            }
            return fd;
        } catch (ErrnoException | RuntimeException e) {
            calls.close(fd);
            throw e;
        }
    }
}
