package io.katana.reactor.epoll.ffi;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.katana.reactor.spi.ffm.SocketCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Loop benchmark behind the choice of {@link Libc#CRITICAL_SHORT_CALLS}: nanoseconds per call of the
 * short non-blocking calls, linked with and without {@code Linker.Option.critical(false)}, both
 * capturing errno as the backend does. Run by hand, not by the build:
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp target/test-classes:target/classes:API_JAR \
 *     io.katana.reactor.epoll.ffi.CriticalCallBenchmark</pre>
 *
 * The calls are the cheapest the kernel offers for each entry point (an empty eventfd read, an
 * eventfd write, a 1-byte send over loopback read back at once, an epoll_ctl MOD), so the linkage
 * overhead is as large a share as it can be.
 */
final class CriticalCallBenchmark {
    private static final int ITERATIONS = 1_000_000;
    private static final int ROUNDS = 7;

    private CriticalCallBenchmark() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor RW = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final FunctionDescriptor SEND =
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    private static final FunctionDescriptor CTL = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
    // Constant handles, as in Libc, so the JIT can inline each downcall the way the backend's are.
    private static final MethodHandle READ_PLAIN = link("read", RW, false);
    private static final MethodHandle READ_CRITICAL = link("read", RW, true);
    private static final MethodHandle WRITE_PLAIN = link("write", RW, false);
    private static final MethodHandle WRITE_CRITICAL = link("write", RW, true);
    private static final MethodHandle SEND_PLAIN = link("send", SEND, false);
    private static final MethodHandle SEND_CRITICAL = link("send", SEND, true);
    private static final MethodHandle CTL_PLAIN = link("epoll_ctl", CTL, false);
    private static final MethodHandle CTL_CRITICAL = link("epoll_ctl", CTL, true);

    private static MethodHandle link(String name, FunctionDescriptor descriptor, boolean critical) {
        var symbol = LINKER.defaultLookup().findOrThrow(name);
        var errno = Linker.Option.captureCallState("errno");
        return critical
                ? LINKER.downcallHandle(symbol, descriptor, errno, Linker.Option.critical(false))
                : LINKER.downcallHandle(symbol, descriptor, errno);
    }

    public static void main(String[] args) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            EpollEventLayout layout = EpollEventLayout.current().orElseThrow();
            Syscalls calls = new Syscalls(arena, layout);
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            MemorySegment buffer = arena.allocate(64, 8);
            buffer.asByteBuffer().order(ByteOrder.nativeOrder()).putLong(0, 1);
            long address = buffer.address();
            MemorySegment event = arena.allocate(layout.layout());
            event.set(JAVA_INT, 0, LinuxConstants.EPOLLIN);
            long eventAddress = event.address();
            int efd = calls.eventfd(LinuxConstants.EFD_NONBLOCK | LinuxConstants.EFD_CLOEXEC);
            int epfd = calls.epollCreate();
            calls.epollCtl(epfd, LinuxConstants.EPOLL_CTL_ADD, efd, LinuxConstants.EPOLLIN, 0);
            int[] pair = loopbackPair(calls);
            int mod = LinuxConstants.EPOLL_CTL_MOD;
            int noSignal = LinuxConstants.MSG_NOSIGNAL;

            Case[] cases = {
                new Case("read (empty eventfd, EAGAIN)",
                        () -> (long) READ_PLAIN.invokeExact(state, efd, address, 8L),
                        () -> (long) READ_CRITICAL.invokeExact(state, efd, address, 8L)),
                new Case("write (eventfd, 8 bytes)",
                        () -> (long) WRITE_PLAIN.invokeExact(state, efd, address, 8L),
                        () -> (long) WRITE_CRITICAL.invokeExact(state, efd, address, 8L)),
                new Case("send 1 byte + read it (loopback)",
                        () -> (long) SEND_PLAIN.invokeExact(state, pair[0], address, 1L, noSignal)
                                + calls.read(pair[1], address + 8, 8),
                        () -> (long) SEND_CRITICAL.invokeExact(state, pair[0], address, 1L, noSignal)
                                + calls.read(pair[1], address + 8, 8)),
                new Case("epoll_ctl MOD",
                        () -> (int) CTL_PLAIN.invokeExact(state, epfd, mod, efd, eventAddress),
                        () -> (int) CTL_CRITICAL.invokeExact(state, epfd, mod, efd, eventAddress)),
            };
            System.out.printf("%-34s %10s %12s %8s%n", "call", "plain ns", "critical ns", "saved");
            for (Case c : cases) {
                double[] plain = new double[ROUNDS];
                double[] crit = new double[ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    plain[round] = nanosPerCall(c.plain);
                    crit[round] = nanosPerCall(c.critical);
                    calls.read(efd, address + 16, 8); // keep the eventfd counter far from overflow
                }
                double p = median(plain);
                double k = median(crit);
                System.out.printf("%-34s %10.1f %12.1f %7.1f%%%n", c.name, p, k, 100 * (p - k) / p);
            }
            calls.close(pair[0]);
            calls.close(pair[1]);
            calls.close(efd);
            calls.close(epfd);
        }
    }

    private static double nanosPerCall(Call call) throws Throwable {
        long sink = 0;
        for (int i = 0; i < ITERATIONS / 10; i++) sink += call.invoke();
        long start = System.nanoTime();
        for (int i = 0; i < ITERATIONS; i++) sink += call.invoke();
        long elapsed = System.nanoTime() - start;
        if (sink == Long.MIN_VALUE) System.out.print("");
        return (double) elapsed / ITERATIONS;
    }

    private static int[] loopbackPair(Syscalls calls) throws Exception {
        var loopback = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
        int listener = calls.sockets().tcpSocket(io.katana.reactor.spi.ffm.SocketAddressCodec.AF_INET);
        calls.sockets().bind(listener, loopback);
        calls.sockets().listen(listener, 1);
        int client = calls.sockets().tcpSocket(io.katana.reactor.spi.ffm.SocketAddressCodec.AF_INET);
        calls.sockets().connect(client, calls.sockets().localAddress(listener));
        int server;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while ((server = calls.accept4(listener)) < 0) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("loopback accept timed out");
            Thread.onSpinWait();
        }
        calls.close(listener);
        calls.sockets().setIntOption(client, SocketCalls.IPPROTO_TCP, SocketCalls.TCP_NODELAY, 1, "TCP_NODELAY");
        return new int[] {client, server};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    @FunctionalInterface
    private interface Call {
        long invoke() throws Throwable;
    }

    private record Case(String name, Call plain, Call critical) {}
}
