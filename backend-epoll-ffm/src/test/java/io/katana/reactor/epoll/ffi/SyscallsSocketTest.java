package io.katana.reactor.epoll.ffi;

import static io.katana.reactor.epoll.ffi.LinuxConstants.*;
import static io.katana.reactor.spi.ffm.SocketAddressCodec.AF_INET;
import static io.katana.reactor.spi.ffm.SocketAddressCodec.AF_INET6;
import static io.katana.reactor.spi.ffm.SocketCalls.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.katana.reactor.epoll.LinuxOnly;
import io.katana.reactor.spi.ffm.Errno;
import io.katana.reactor.spi.ffm.ErrnoException;
import io.katana.reactor.spi.ffm.SocketAddressCodec;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives every socket call over loopback, non-blocking, the way the reactor will. */
@LinuxOnly
class SyscallsSocketTest {
    private static final int WAIT_MILLIS = 10_000;

    private Arena arena;
    private Syscalls calls;
    private EpollEventArray events;
    private int epfd;
    private final List<Integer> fds = new ArrayList<>();

    @BeforeEach
    void open() {
        arena = Arena.ofConfined();
        EpollEventLayout layout = EpollEventLayout.current().orElseThrow();
        calls = new Syscalls(arena, layout);
        events = new EpollEventArray(arena, layout, 4);
        epfd = track(calls.epollCreate());
    }

    @AfterEach
    void close() {
        for (int fd : fds) calls.close(fd);
        arena.close();
    }

    @Test
    void ipv4ListenConnectAcceptSendReceiveAndHalfClose() throws Exception {
        exchange(InetAddress.getByName("127.0.0.1"), AF_INET);
    }

    @Test
    void ipv6ListenConnectAcceptSendReceiveAndHalfClose() throws Exception {
        exchange(InetAddress.getByName("::1"), AF_INET6);
    }

    private void exchange(InetAddress loopback, int family) throws Exception {
        int listener = listener(loopback, false);
        InetSocketAddress bound = calls.sockets().localAddress(listener);
        assertThat(bound.getAddress()).isEqualTo(loopback);
        assertThat(bound.getPort()).isPositive();

        int client = track(calls.sockets().tcpSocket(family));
        int connected = calls.sockets().connect(client, bound);
        assertThat(connected == 0 || connected == -Errno.EINPROGRESS).as("connect result %d", connected).isTrue();
        awaitReady(client, EPOLLOUT);
        assertThat(calls.sockets().socketError(client)).isZero();

        awaitReady(listener, EPOLLIN);
        int server = track(calls.accept4(listener));
        assertThat(server).isPositive();
        InetSocketAddress clientLocal = calls.sockets().localAddress(client);
        assertThat(calls.acceptedPeer()).isEqualTo(clientLocal);
        assertThat(calls.sockets().peerAddress(server)).isEqualTo(clientLocal);
        assertThat(calls.sockets().peerAddress(client)).isEqualTo(bound);

        MemorySegment buffer = arena.allocate(256);
        assertThat(calls.read(server, buffer.address(), 256)).as("accepted fd is non-blocking").isEqualTo(-Errno.EAGAIN);
        assertThat(closeOnExec(server)).as("accepted fd is close-on-exec").isTrue();
        assertThat(calls.accept4(listener)).as("empty accept queue").isEqualTo(-Errno.EAGAIN);

        MemorySegment hello = utf8("hello");
        assertThat(calls.send(client, hello.address(), hello.byteSize())).isEqualTo(5);
        awaitReady(server, EPOLLIN);
        assertThat(calls.recv(server, buffer.address(), 256, 0)).isEqualTo(5);
        assertThat(text(buffer, 5)).isEqualTo("hello");

        MemorySegment head = utf8("HTTP/1.1 200 OK\r\n\r\n");
        MemorySegment body = utf8("ok");
        IovecArray iov = new IovecArray(arena, 2);
        iov.set(0, head.address(), head.byteSize());
        iov.set(1, body.address(), body.byteSize());
        long total = head.byteSize() + body.byteSize();
        assertThat(calls.writev(server, iov, 2)).isEqualTo(total);
        awaitReady(client, EPOLLIN);
        assertThat(calls.read(client, buffer.address(), 256)).isEqualTo(total);
        assertThat(text(buffer, (int) total)).isEqualTo("HTTP/1.1 200 OK\r\n\r\nok");

        MemorySegment more = utf8("x");
        assertThat(calls.write(server, more.address(), 1)).isEqualTo(1);
        awaitReady(client, EPOLLIN);
        assertThat(calls.read(client, buffer.address(), 256)).isEqualTo(1);

        assertThat(calls.sockets().shutdown(client, SHUT_WR)).isZero();
        awaitReady(server, EPOLLIN);
        assertThat(calls.read(server, buffer.address(), 256)).as("end of stream after the peer's FIN").isZero();
    }

    @Test
    void resetByPeerIsReportedAsEconnreset() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int listener = listener(loopback, false);
        int client = track(calls.sockets().tcpSocket(AF_INET));
        calls.sockets().connect(client, calls.sockets().localAddress(listener));
        awaitReady(listener, EPOLLIN);
        int server = calls.accept4(listener);
        assertThat(server).isPositive();
        awaitReady(client, EPOLLOUT);

        MemorySegment unread = utf8("never read");
        assertThat(calls.send(client, unread.address(), unread.byteSize())).isEqualTo(unread.byteSize());
        awaitReady(server, EPOLLIN);
        // Closing with unread input makes the kernel answer with RST instead of FIN.
        assertThat(calls.close(server)).isZero();

        awaitReady(client, EPOLLIN | EPOLLERR | EPOLLHUP);
        MemorySegment buffer = arena.allocate(64);
        long result = calls.read(client, buffer.address(), 64);
        assertThat(result).isEqualTo(-Errno.ECONNRESET);
        assertThat(Syscalls.failure("read", result)).hasMessage("read failed: ECONNRESET (Connection reset by peer)");
        long again = calls.send(client, unread.address(), unread.byteSize());
        assertThat(again).as("send after reset fails without SIGPIPE").isIn((long) -Errno.EPIPE, (long) -Errno.ECONNRESET);
    }

    @Test
    void connectingToAClosedPortIsRefused() throws Exception {
        int probe = listener(InetAddress.getLoopbackAddress(), false);
        InetSocketAddress unused = calls.sockets().localAddress(probe);
        calls.close(probe);
        fds.remove((Integer) probe);

        int client = track(calls.sockets().tcpSocket(AF_INET));
        int result = calls.sockets().connect(client, unused);
        if (result == -Errno.EINPROGRESS) {
            awaitReady(client, EPOLLOUT);
            assertThat(calls.sockets().socketError(client)).isEqualTo(Errno.ECONNREFUSED);
        } else {
            assertThat(result).isEqualTo(-Errno.ECONNREFUSED);
        }
    }

    @Test
    void bindingAPortInUseNamesTheAddressAndTheErrno() throws Exception {
        int first = listener(InetAddress.getLoopbackAddress(), false);
        InetSocketAddress taken = calls.sockets().localAddress(first);
        int second = track(calls.sockets().tcpSocket(AF_INET));
        assertThatThrownBy(() -> calls.sockets().bind(second, taken))
                .isInstanceOf(ErrnoException.class)
                .hasMessage("bind 127.0.0.1:" + taken.getPort() + " failed: EADDRINUSE (Address already in use)")
                .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.EADDRINUSE));
    }

    @Test
    void reusePortLetsTwoListenersShareOnePort() throws Exception {
        int first = listener(InetAddress.getLoopbackAddress(), true);
        InetSocketAddress shared = calls.sockets().localAddress(first);
        int second = track(calls.sockets().tcpSocket(AF_INET));
        calls.sockets().setIntOption(second, SOL_SOCKET, SO_REUSEPORT, 1, "SO_REUSEPORT");
        calls.sockets().bind(second, shared);
        calls.sockets().listen(second, 16);
        assertThat(calls.sockets().localAddress(second)).isEqualTo(shared);
    }

    @Test
    void socketOptionsReadBackWhatWasSet() throws Exception {
        int fd = track(calls.sockets().tcpSocket(AF_INET));
        calls.sockets().setIntOption(fd, IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY");
        assertThat(calls.sockets().getIntOption(fd, IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY")).isEqualTo(1);
        calls.sockets().setIntOption(fd, SOL_SOCKET, SO_RCVBUF, 65536, "SO_RCVBUF");
        // Linux doubles the value to leave room for its bookkeeping.
        assertThat(calls.sockets().getIntOption(fd, SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF")).isGreaterThanOrEqualTo(65536);
        calls.sockets().setIntOption(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, 5, "TCP_DEFER_ACCEPT");
        assertThat(calls.sockets().getIntOption(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, "TCP_DEFER_ACCEPT")).isPositive();
        assertThatThrownBy(() -> calls.sockets().setIntOption(-1, SOL_SOCKET, SO_SNDBUF, 1, "SO_SNDBUF"))
                .isInstanceOf(ErrnoException.class)
                .hasMessage("setsockopt SO_SNDBUF=1 failed: EBADF (Bad file descriptor)");
    }

    private int listener(InetAddress address, boolean reusePort) throws IOException {
        int family = SocketAddressCodec.family(new InetSocketAddress(address, 0));
        int fd = track(calls.sockets().tcpSocket(family));
        calls.sockets().setIntOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
        if (reusePort) calls.sockets().setIntOption(fd, SOL_SOCKET, SO_REUSEPORT, 1, "SO_REUSEPORT");
        calls.sockets().bind(fd, new InetSocketAddress(address, 0));
        calls.sockets().listen(fd, 16);
        return fd;
    }

    /** Waits until {@code fd} reports one of {@code interest}; registers it once, one-shot style. */
    private void awaitReady(int fd, int interest) {
        int op = calls.epollCtl(epfd, EPOLL_CTL_MOD, fd, interest, fd) == 0 ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
        if (op == EPOLL_CTL_ADD) {
            assertThat(calls.epollCtl(epfd, EPOLL_CTL_ADD, fd, interest, fd)).isZero();
        }
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            int n = calls.epollWait(epfd, events, 100);
            for (int i = 0; i < n; i++) {
                if (events.data(i) == fd && (events.events(i) & (interest | EPOLLERR | EPOLLHUP)) != 0) {
                    return;
                }
            }
        }
        throw new AssertionError("fd " + fd + " not ready for " + interest + " within " + WAIT_MILLIS + " ms");
    }

    private int track(int fd) {
        assertThat(fd).as("a valid fd").isNotNegative();
        fds.add(fd);
        return fd;
    }

    private MemorySegment utf8(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        MemorySegment segment = arena.allocate(bytes.length);
        MemorySegment.copy(bytes, 0, segment, JAVA_BYTE, 0, bytes.length);
        return segment;
    }

    private static String text(MemorySegment segment, int length) {
        return new String(segment.asSlice(0, length).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private static boolean closeOnExec(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) {
                return (Integer.parseInt(line.substring(6).trim(), 8) & 02000000) != 0;
            }
        }
        throw new AssertionError("no flags line in /proc/self/fdinfo/" + fd);
    }
}
