package io.katana.conformance;

import static io.katana.conformance.Bytes.KIB;
import static io.katana.conformance.Bytes.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.Connection;
import io.katana.reactor.Listener;
import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorGroup;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Resources under churn and at rest: fast connection cycles, a thousand connections on one reactor,
 * descriptors released as connections close, and no CPU burnt by an idle reactor.
 *
 * <p>The CPU bound is a correctness check (an idle loop must block, not spin), so it is loose: a
 * spinning loop burns a whole second per second, a blocked one about nothing.
 */
final class ResourceChecks {

    /** Most CPU time a reactor thread may use per idle second. */
    static final Duration IDLE_CPU_PER_SECOND = Duration.ofMillis(50);

    private final Harness h;

    ResourceChecks(Harness harness) {
        this.h = harness;
    }

    void fastConnectEchoCloseCyclesDoNotCrossTalk() throws Exception {
        int lanes = 4;
        int cyclesPerLane = 50;
        Accepted accepted = new Accepted(Probe::echo);
        Listener listener = h.listen(h.server(), accepted);
        ReactorGroup clients = h.client();
        Map<String, byte[]> sent = new ConcurrentHashMap<>();
        List<Future<Void>> running = new ArrayList<>();
        for (int l = 0; l < lanes; l++) {
            int lane = l;
            Random random = new Random(h.seed() + lane);
            running.add(h.background(() -> {
                for (int cycle = 0; cycle < cyclesPerLane; cycle++) {
                    String header = "lane " + lane + " cycle " + cycle + "|";
                    byte[] payload = DataTransferChecks.concat(List.of(Bytes.ascii(header),
                            Bytes.random(random, random.nextInt(2000))));
                    sent.put(header, payload);
                    Probe client = Probe.recording();
                    Connection connection = h.connect(clients, listener.localAddress(), client);
                    connection.writeAndFlush(ByteBuffer.wrap(payload));
                    Bytes.assertSameBytes(payload, client.awaitReceived(payload.length), header + " echo");
                    connection.close();
                    assertThat(client.awaitClose()).as(header + " close cause").isNull();
                    Bytes.assertSameBytes(payload, client.received(), header + " all bytes the client got");
                    client.assertContract();
                }
                return null;
            }));
        }
        for (Future<Void> lane : running) {
            Harness.join(lane, Waits.TRANSFER, "a lane of " + cyclesPerLane + " connect/echo/close cycles");
        }
        for (int i = 0; i < lanes * cyclesPerLane; i++) {
            Probe server = accepted.next();
            server.awaitClose();
            server.assertContract();
            String received = Bytes.ascii(server.received());
            String header = received.substring(0, Math.max(0, received.indexOf('|') + 1));
            byte[] expected = sent.get(header);
            if (expected == null) {
                throw new AssertionError("a server connection got bytes no client sent as a whole: "
                        + Bytes.preview(server.received()));
            }
            Bytes.assertSameBytes(expected, server.received(), header + " bytes the server got");
        }
    }

    void aThousandConnectionsOnOneReactor() throws Exception {
        int count = 1000;
        OptionalLong limit = softDescriptorLimit();
        Assumptions.assumeTrue(limit.isEmpty() || limit.getAsLong() >= 2 * count + 500,
                () -> "the open-file limit " + limit + " is too low for " + count + " connections on both ends");
        ReactorGroup servers = h.openServer(config -> config.withThreads(1));
        ReactorGroup clients = h.openClient(config -> config.withThreads(1));
        Accepted accepted = new Accepted(Probe::echo);
        Listener listener = h.listen(servers, accepted);
        List<Probe> probes = new ArrayList<>();
        List<CompletableFuture<Connection>> connecting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long id = i;
            Probe probe = Probe.recording().whenOpened(c -> c.writeAndFlush(ByteBuffer.allocate(8).putLong(id).flip()));
            probes.add(probe);
            connecting.add(clients.connect(listener.localAddress(), probe));
        }
        Waits.await(CompletableFuture.allOf(connecting.toArray(new CompletableFuture<?>[0])), Waits.TRANSFER,
                count + " concurrent connects");
        for (int i = 0; i < count; i++) {
            long echoed = ByteBuffer.wrap(probes.get(i).awaitReceived(8)).getLong();
            assertThat(echoed).as("id echoed to connection " + i).isEqualTo(i);
        }
        Reactor only = servers.reactors().getFirst();
        for (int i = 0; i < count; i++) {
            assertThat(accepted.next().connection().reactor()).isSameAs(only);
        }
        for (CompletableFuture<Connection> connection : connecting) {
            connection.join().close();
        }
        for (Probe server : accepted.all()) {
            assertThat(server.awaitClose()).isNull();
            server.assertContract();
        }
        for (Probe client : probes) {
            client.awaitClose();
            client.assertContract();
        }
    }

    void closedConnectionsReleaseTheirDescriptorsAtOnce() throws IOException {
        Assumptions.assumeTrue(FileDescriptors.supported(), "/proc/self/fd is not available here");
        Accepted accepted = new Accepted(Probe::echo);
        Listener listener = h.listen(h.server(), accepted);
        ReactorGroup clients = h.client();
        Probe first = Probe.recording();
        h.connect(clients, listener.localAddress(), first).close();
        first.awaitClose();
        accepted.next().awaitClose();
        Map<Integer, String> before = FileDescriptors.snapshot();

        List<Probe> ends = new ArrayList<>();
        for (int way = 0; way < 5; way++) {
            for (int i = 0; i < 10; i++) {
                switch (way) {
                    case 0 -> { // the server closes
                        try (Socket peer = connectRaw(listener)) {
                            Probe server = accepted.next();
                            server.connection().close();
                            Bytes.readUntilEnd(peer, 0);
                            ends.add(server);
                        }
                    }
                    case 1 -> { // the server aborts
                        try (Socket peer = connectRaw(listener)) {
                            Probe server = accepted.next();
                            server.connection().abort();
                            Bytes.readUntilEnd(peer, 0);
                            ends.add(server);
                        }
                    }
                    case 2 -> { // the peer resets
                        Socket peer = connectRaw(listener);
                        Probe server = accepted.next();
                        server.awaitOpen();
                        CloseChecks.reset(peer);
                        ends.add(server);
                    }
                    case 3 -> { // a reactor client closes
                        Probe client = Probe.recording();
                        h.connect(clients, listener.localAddress(), client).close();
                        ends.add(client);
                        ends.add(accepted.next());
                    }
                    default -> { // the server aborts a reactor client's connection
                        Probe client = Probe.recording();
                        h.connect(clients, listener.localAddress(), client);
                        Probe server = accepted.next();
                        server.connection().abort();
                        ends.add(client);
                        ends.add(server);
                    }
                }
            }
        }
        for (Probe end : ends) {
            end.awaitClose();
        }
        FileDescriptors.assertAllClosedSince(before, Duration.ofSeconds(5),
                "after 50 connections were closed, aborted or reset while their groups still run");
    }

    private Socket connectRaw(Listener listener) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout((int) Waits.EVENT.toMillis());
        socket.connect(listener.localAddress(), (int) Waits.EVENT.toMillis());
        return socket;
    }

    void anIdleReactorBurnsNoCpu() throws IOException {
        ThreadMXBean threads = cpuClock();
        ReactorGroup group = h.openServer(config -> config);
        h.listen(group, Probe::echo);
        List<Thread> loops = new ArrayList<>();
        for (Reactor reactor : group.reactors()) {
            loops.add(Waits.onLoop(reactor, Thread::currentThread));
        }
        Waits.sleep(Duration.ofMillis(200)); // let start-up work finish
        assertIdle(threads, loops, Duration.ofSeconds(1), "an idle reactor with a listener");
    }

    void idleConnectionsInEveryStateBurnNoCpu() throws IOException {
        ThreadMXBean threads = cpuClock();
        ReactorGroup group = h.openServer(config -> config.withThreads(1));
        List<Thread> loop = List.of(Waits.onLoop(group.reactors().getFirst(), Thread::currentThread));
        CountDownLatch paused = new CountDownLatch(1);
        Accepted accepted = new Accepted(() -> Probe.recording()
                .whenInputClosed(c -> { }) // keep the half-closed connection open
                .whenRead((c, data) -> {
                    data.position(data.limit());
                    if (data.limit() > 0 && "pause".equals(c.attachment())) {
                        c.pauseReading();
                        paused.countDown();
                    }
                }));
        Listener listener = h.listen(group, accepted);
        Duration window = Duration.ofMillis(500);

        Socket drained = h.rawClient(listener.localAddress());
        Connection writer = accepted.next().connection();
        writer.writeAndFlush(Bytes.pattern(0, 4 * MIB, true));
        Bytes.readPattern(drained.getInputStream(), 4 * MIB, () -> {});
        Waits.until(() -> writer.pendingOutboundBytes() == 0, Waits.EVENT, () -> "4 MiB never drained");
        Waits.sleep(Duration.ofMillis(100));
        assertIdle(threads, loop, window, "a connection whose large write has drained");

        Socket pausedPeer = h.rawClient(listener.localAddress());
        Connection pausedConnection = accepted.next().connection();
        pausedConnection.attach("pause");
        pausedPeer.getOutputStream().write(1);
        Waits.await(paused, "the first read of the connection to pause");
        pausedPeer.getOutputStream().write(new byte[64 * KIB]);
        Waits.sleep(Duration.ofMillis(100));
        assertIdle(threads, loop, window, "a paused connection with unread input waiting");

        Socket halfClosed = h.rawClient(listener.localAddress());
        Probe halfClosedServer = accepted.next();
        halfClosed.shutdownOutput();
        halfClosedServer.awaitInputClosed();
        Waits.sleep(Duration.ofMillis(100));
        assertIdle(threads, loop, window, "a connection whose peer half-closed and which stays open");
        assertThat(halfClosedServer.connection().isOpen()).isTrue();
    }

    private static ThreadMXBean cpuClock() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadCpuTimeSupported(), "this JVM cannot measure thread CPU time");
        if (!threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
        return threads;
    }

    private static void assertIdle(ThreadMXBean clock, List<Thread> loops, Duration window, String state) {
        Map<Thread, Long> before = new HashMap<>();
        for (Thread loop : loops) {
            before.put(loop, clock.getThreadCpuTime(loop.threadId()));
        }
        long start = System.nanoTime();
        Waits.sleep(window);
        long elapsed = System.nanoTime() - start;
        long allowed = IDLE_CPU_PER_SECOND.toNanos() * elapsed / TimeUnit.SECONDS.toNanos(1);
        for (Thread loop : loops) {
            long used = clock.getThreadCpuTime(loop.threadId()) - before.get(loop);
            if (before.get(loop) < 0 || used < 0) {
                throw new AssertionError(loop.getName() + " ended during the measurement");
            }
            if (used > allowed) {
                throw new AssertionError(loop.getName() + " used " + used / 1_000_000 + " ms of CPU in "
                        + elapsed / 1_000_000 + " ms while idle (" + state + "); at most " + allowed / 1_000_000
                        + " ms is allowed: the loop spins instead of blocking");
            }
        }
    }

    /** The soft limit on open files, from /proc/self/limits where present. */
    private static OptionalLong softDescriptorLimit() {
        Path limits = Path.of("/proc/self/limits");
        if (!Files.isReadable(limits)) {
            return OptionalLong.empty();
        }
        try {
            for (String line : Files.readAllLines(limits)) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(soft));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
