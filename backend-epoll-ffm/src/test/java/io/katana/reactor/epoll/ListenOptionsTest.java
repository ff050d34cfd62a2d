package io.katana.reactor.epoll;

import static io.katana.reactor.spi.ffm.SocketCalls.IPPROTO_TCP;
import static io.katana.reactor.spi.ffm.SocketCalls.SOL_SOCKET;
import static io.katana.reactor.spi.ffm.SocketCalls.SO_RCVBUF;
import static io.katana.reactor.spi.ffm.SocketCalls.SO_REUSEPORT;
import static io.katana.reactor.spi.ffm.SocketCalls.SO_SNDBUF;
import static io.katana.reactor.spi.ffm.SocketCalls.TCP_DEFER_ACCEPT;
import static io.katana.reactor.spi.ffm.SocketCalls.TCP_NODELAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.epoll.ffi.EpollEventLayout;
import io.katana.reactor.epoll.ffi.Syscalls;
import io.katana.reactor.spi.ffm.Errno;
import io.katana.reactor.spi.ffm.SocketAddressCodec;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@LinuxOnly
class ListenOptionsTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void optionsAreSetOnTheListenerAndInheritedByAcceptedSockets() throws Exception {
        ListenOptions options = ListenOptions.DEFAULT.withReusePort(true).withReceiveBufferSize(32 * 1024)
                .withSendBufferSize(48 * 1024).withDeferAcceptSeconds(3).withBacklog(128);
        try (Arena arena = Arena.ofConfined()) {
            Syscalls calls = new Syscalls(arena, EpollEventLayout.current().orElseThrow());
            int listener = calls.sockets().listening(LOOPBACK, options);
            int client = -1;
            int accepted = -1;
            try {
                assertThat(calls.sockets().getIntOption(listener, SOL_SOCKET, SO_REUSEPORT, "SO_REUSEPORT")).isEqualTo(1);
                assertThat(calls.sockets().getIntOption(listener, IPPROTO_TCP, TCP_DEFER_ACCEPT, "TCP_DEFER_ACCEPT")).isPositive();
                client = calls.sockets().tcpSocket(SocketAddressCodec.AF_INET);
                calls.sockets().connect(client, calls.sockets().localAddress(listener));
                FirstByte.sendOneByte(arena, calls, client);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while ((accepted = calls.accept4(listener)) == -Errno.EAGAIN && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(accepted).as("accepted within 10 s").isPositive();
                // What accept4 returns carries the listener's options: no setsockopt per connection.
                assertThat(calls.sockets().getIntOption(accepted, IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY")).isEqualTo(1);
                assertThat(calls.sockets().getIntOption(accepted, SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF")).isEqualTo(2 * 32 * 1024);
                assertThat(calls.sockets().getIntOption(accepted, SOL_SOCKET, SO_SNDBUF, "SO_SNDBUF")).isEqualTo(2 * 48 * 1024);
            } finally {
                if (accepted > 0) calls.close(accepted);
                if (client > 0) calls.close(client);
                calls.close(listener);
            }
        }
    }

    @Test
    void reusePortOpensOneListenerPerReactorAndEveryReactorServes() throws Exception {
        ReactorGroup group = new EpollReactorProvider().open(ReactorConfig.defaults().withThreads(2));
        Set<Reactor> serving = ConcurrentHashMap.newKeySet();
        try (Listener listener = group.listen(LOOPBACK, ListenOptions.DEFAULT.withReusePort(true), () -> new Echo(serving))) {
            for (int i = 0; i < 200 && serving.size() < 2; i++) {
                echoOnce(listener.localAddress());
            }
            assertThat(serving).as("the kernel spread connections over both listeners").hasSize(2);
        } finally {
            group.shutdownGracefully(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void singleAcceptorHandsConnectionsRoundRobin() throws Exception {
        ReactorGroup group = new EpollReactorProvider().open(ReactorConfig.defaults().withThreads(2));
        Set<Reactor> serving = ConcurrentHashMap.newKeySet();
        try (Listener listener = group.listen(LOOPBACK, ListenOptions.DEFAULT, () -> new Echo(serving))) {
            for (int i = 0; i < 4; i++) {
                echoOnce(listener.localAddress());
            }
            assertThat(serving).hasSize(2);
        } finally {
            group.shutdownGracefully(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPortInUseIsABindExceptionNamingTheErrno() throws Exception {
        ReactorGroup group = new EpollReactorProvider().open(ReactorConfig.defaults().withThreads(1));
        try (Listener first = group.listen(LOOPBACK, ListenOptions.DEFAULT.withReuseAddress(false), () -> new Echo(ConcurrentHashMap.newKeySet()))) {
            assertThatThrownBy(() -> group.listen(first.localAddress(), () -> new Echo(ConcurrentHashMap.newKeySet())))
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining("EADDRINUSE (Address already in use)")
                    .hasMessageContaining(String.valueOf(first.localAddress().getPort()));
            assertThatThrownBy(() -> group.listen(java.net.UnixDomainSocketAddress.of("/tmp/x.sock"), () -> new Echo(ConcurrentHashMap.newKeySet())))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("InetSocketAddress");
        } finally {
            group.shutdownGracefully(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
        }
    }

    private static void echoOnce(InetSocketAddress address) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write('x');
            assertThat(socket.getInputStream().read()).isEqualTo('x');
        }
    }

    private record Echo(Set<Reactor> serving) implements ConnectionHandler {
        @Override
        public void onRead(Connection connection, ByteBuffer data) {
            serving.add(connection.reactor());
            connection.writeAndFlush(data);
        }
    }

    /** Sends one byte so a listener with TCP_DEFER_ACCEPT hands the connection over. */
    private static final class FirstByte {
        static void sendOneByte(Arena arena, Syscalls calls, int fd) throws Exception {
            var one = arena.allocate(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (calls.send(fd, one.address(), 1) != 1) {
                if (System.nanoTime() > deadline) throw new AssertionError("could not send on a fresh connection");
                Thread.sleep(5);
            }
        }
    }
}
