package io.katana.reactor.uring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katana.reactor.spi.ffm.Errno;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the reactor's settling of inline sends relies on, asked of the kernel itself: an inline send
 * ({@code MSG_DONTWAIT | MSG_WAITALL}, {@code IOSQE_CQE_SKIP_SUCCESS}) has finished once the enter
 * that submitted it returns. It makes no completion when it sent everything, and a completion with
 * the bytes it did send when the socket had room for only part of them, so that settling a silent
 * one as "all sent" is never wrong and a short one is resumed from the right byte.
 */
class InlineSendTest {
    private static final int AF_INET = 2;

    @BeforeEach
    void ioUringIsAvailable() {
        UringReactorProvider provider = new UringReactorProvider();
        assumeTrue(provider.isAvailable(), () -> "io_uring is not available here: " + provider.availability().reason());
    }

    @Test
    void aSendThatFitsMakesNoCompletionAndIsDoneWhenTheEnterReturns() throws Exception {
        try (Arena arena = Arena.ofConfined(); ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SystemCalls calls = new SystemCalls(arena);
            int fd = connectingSocket(calls, server);
            try (Socket peer = server.accept(); InputStream in = peer.getInputStream()) {
                assertThat(calls.makeBlocking(fd)).isZero();
                IoUring ring = IoUring.open(calls, arena, 8);
                try {
                    MemorySegment data = arena.allocate(100);
                    data.fill((byte) 'x');
                    int sequence = ring.send(fd, data.address(), 100, 7, true, false);
                    assertThat(ring.issued(sequence)).as("issued before the enter").isFalse();
                    ring.submitAndWait(0);
                    assertThat(ring.issued(sequence)).as("issued after the enter").isTrue();
                    assertThat(completions(ring)).as("completions of a send that fitted").isEmpty();
                    assertThat(in.readNBytes(100)).as("bytes the peer got").hasSize(100).containsOnly((byte) 'x');
                } finally {
                    ring.close();
                }
            } finally {
                calls.close(fd);
            }
        }
    }

    @Test
    void aSendLargerThanTheRoomCompletesAtOnceWithWhatItSent() throws Exception {
        try (Arena arena = Arena.ofConfined(); ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SystemCalls calls = new SystemCalls(arena);
            int fd = connectingSocket(calls, server);
            try (Socket ignored = server.accept()) { // never reads
                assertThat(calls.makeBlocking(fd)).isZero();
                IoUring ring = IoUring.open(calls, arena, 8);
                try {
                    int length = 64 << 20; // far more than the send and receive buffers hold
                    MemorySegment data = arena.allocate(length);
                    int sequence = ring.send(fd, data.address(), length, 7, true, false);
                    ring.submitAndWait(0);
                    assertThat(ring.issued(sequence)).isTrue();
                    List<long[]> completions = completions(ring);
                    assertThat(completions).as("completions of a short inline send").hasSize(1);
                    assertThat(completions.getFirst()[0]).as("user data").isEqualTo(7);
                    long result = completions.getFirst()[1];
                    assertThat(result == -Errno.EAGAIN || (result > 0 && result < length))
                            .as("result %d: bytes sent, or -EAGAIN; never all %d, never a wait", result, length)
                            .isTrue();

                    int again = ring.send(fd, data.address(), length, 8, true, false);
                    ring.submitAndWait(0);
                    assertThat(ring.issued(again)).isTrue();
                    List<long[]> more = completions(ring);
                    assertThat(more).as("completions of an inline send into a full socket").hasSize(1);
                    assertThat(more.getFirst()[1] == -Errno.EAGAIN || (more.getFirst()[1] > 0 && more.getFirst()[1] < length))
                            .as("result %d", more.getFirst()[1]).isTrue();
                } finally {
                    ring.close();
                }
            } finally {
                calls.close(fd);
            }
        }
    }

    /**
     * A socket connecting to {@code server}: once the server has accepted it, it is connected, and
     * made blocking, as the reactor's sockets are.
     */
    private static int connectingSocket(SystemCalls calls, ServerSocket server) throws Exception {
        int fd = calls.sockets().tcpSocket(AF_INET);
        int result = calls.sockets().connect(fd, new InetSocketAddress(server.getInetAddress(), server.getLocalPort()));
        assertThat(result == 0 || result == -Errno.EINPROGRESS).as("connect: %d", result).isTrue();
        return fd;
    }

    private static List<long[]> completions(IoUring ring) {
        List<long[]> completions = new ArrayList<>();
        ring.reap((userData, result, flags) -> completions.add(new long[] {userData, result}));
        return completions;
    }
}
