package io.katana.reactor.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.ReactorConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared machinery on a backend with no sockets at all: its "sockets" are objects, accepts come
 * from a queue the test fills, and the poller is a blocking queue. What the conformance suite cannot
 * make happen on demand (an accept racing with shutdown, a connect pending when the reactor ends, a
 * task offered while it terminates) is forced here.
 */
class SharedMachineryTest {
    private static final InetSocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 9);
    private static final ConnectionHandler HANDLER = (connection, data) -> {};

    private FakeGroup group;

    @AfterEach
    void shutDown() {
        if (group != null) {
            group.shutdownGracefully(Duration.ZERO).orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    @Test
    void aSocketAcceptedWhileTheGroupShutsDownIsClosedNotAdopted() throws Exception {
        group = new FakeGroup(2);
        FakeLoop acceptingLoop = group.loop(0);
        FakeLoop otherLoop = group.loop(1);
        FakeListener listener = (FakeListener) group.listen(ADDRESS, ListenOptions.DEFAULT.withMaxConnections(1), () -> null);
        FakeAcceptor acceptor = group.acceptors.getFirst();
        assertThat(acceptor.loop()).isSameAs(acceptingLoop); // the group's next reactor was the first

        CountDownLatch blocked = new CountDownLatch(1);
        otherLoop.execute(() -> await(blocked)); // the hand-off to the other reactor waits behind this
        FakeSocket socket = new FakeSocket();
        acceptor.pending.add(socket);
        runOn(acceptingLoop, acceptor::acceptReady);
        group.shutdownGracefully(Duration.ofSeconds(5)); // the listener closes, then the reactors wind down
        blocked.countDown();
        group.terminationFuture().get(10, TimeUnit.SECONDS);

        assertThat(socket.closed).isTrue();
        assertThat(group.adopted).isEmpty();
        assertThat(listener.tryAdmit()).as("the refused connection's slot is given back").isTrue();
    }

    @Test
    void aConnectStillPendingWhenTheReactorEndsFailsAndClosesItsSocket() throws Exception {
        group = new FakeGroup(1);
        CompletableFuture<Connection> result =
                group.connect(ADDRESS, ConnectOptions.DEFAULT.withTimeout(Duration.ofMinutes(5)), HANDLER);
        FakeConnectAttempt attempt = group.attempts.poll(10, TimeUnit.SECONDS);
        assertThat(attempt).isNotNull();
        runOn(group.loop(0), () -> assertThat(attempt.registered).isTrue());

        group.shutdownGracefully(Duration.ZERO).get(10, TimeUnit.SECONDS);

        assertThat(result).isCompletedExceptionally();
        assertThatThrownBy(result::get)
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(ConnectException.class)
                .hasMessage("connect to " + ADDRESS + " failed: the reactor ended");
        assertThat(attempt.socketCloses.get()).isEqualTo(1);
    }

    @Test
    void aConnectAfterShutdownBeganIsRefused() {
        group = new FakeGroup(1);
        group.shutdownGracefully(Duration.ZERO);

        CompletableFuture<Connection> result = group.connect(ADDRESS, ConnectOptions.DEFAULT, HANDLER);

        assertThat(result).isCompletedExceptionally();
        assertThat(group.attempts).isEmpty();
    }

    @Test
    void everyTaskOfferedWhileTheReactorTerminatesIsRunOrRefused() throws Exception {
        for (int round = 0; round < 20; round++) {
            FakeGroup racing = new FakeGroup(1);
            FakeLoop loop = racing.loop(0);
            AtomicLong ran = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            AtomicLong offered = new AtomicLong();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                producers.add(Thread.ofPlatform().start(() -> {
                    await(go);
                    while (true) {
                        offered.incrementAndGet();
                        try {
                            loop.execute(ran::incrementAndGet);
                        } catch (RejectedExecutionException e) {
                            refused.incrementAndGet();
                            return; // refused once: the reactor has ended, every later offer would be too
                        }
                    }
                }));
            }
            go.countDown();
            Thread.sleep(1);
            racing.shutdownGracefully(Duration.ZERO).get(10, TimeUnit.SECONDS);
            for (Thread producer : producers) {
                assertThat(producer.join(Duration.ofSeconds(10))).isTrue();
            }

            assertThat(ran.get() + refused.get()).as("round %d: no task lost", round).isEqualTo(offered.get());
        }
    }

    @Test
    void aFailingAcceptPausesAcceptingAndResumesIt() throws Exception {
        group = new FakeGroup(1);
        group.listen(ADDRESS, ListenOptions.DEFAULT, () -> null);
        FakeAcceptor acceptor = group.acceptors.getFirst();
        acceptor.failNext = true;

        runOn(group.loop(0), acceptor::acceptReady);

        assertThat(acceptor.interest).containsExactly(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (acceptor.interest.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(acceptor.interest).containsExactly(false, true);
    }

    @Test
    void loopOnlyMethodsRefuseOtherThreads() throws Exception {
        group = new FakeGroup(1);
        group.listen(ADDRESS, ListenOptions.DEFAULT, () -> null);
        FakeAcceptor acceptor = group.acceptors.getFirst();

        assertThatThrownBy(acceptor::acceptReady).isInstanceOf(AssertionError.class);
    }

    private static void runOn(EventLoop loop, Runnable action) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                action.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.get(10, TimeUnit.SECONDS);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static final class FakeSocket {
        volatile boolean closed;
    }

    /** A reactor whose poller is a queue: it only ever wakes up. */
    static final class FakeLoop extends EventLoop {
        private final LinkedBlockingQueue<Boolean> wakeups = new LinkedBlockingQueue<>();

        FakeLoop(FakeGroup group, ReactorConfig config, int index) {
            super(group, config, index);
        }

        @Override
        protected void poll(long timeoutNanos) {
            try {
                if (timeoutNanos < 0) {
                    wakeups.take();
                } else if (timeoutNanos > 0) {
                    wakeups.poll(timeoutNanos, TimeUnit.NANOSECONDS);
                }
                wakeups.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        protected void wakeUp() {
            wakeups.add(Boolean.TRUE);
        }

        @Override
        protected void closeSelector() {}
    }

    static final class FakeGroup extends AbstractReactorGroup {
        final List<FakeAcceptor> acceptors = new CopyOnWriteArrayList<>();
        final LinkedBlockingQueue<FakeConnectAttempt> attempts = new LinkedBlockingQueue<>();
        final List<FakeSocket> adopted = new CopyOnWriteArrayList<>();

        FakeGroup(int threads) {
            super("fake", ReactorConfig.defaults().withThreads(threads).withThreadNamePrefix("fake-"));
            startReactors(index -> new FakeLoop(this, config(), index));
        }

        FakeLoop loop(int index) {
            return (FakeLoop) eventLoops().get(index);
        }

        CompletableFuture<Void> terminationFuture() {
            return CompletableFuture.allOf(eventLoops().stream().map(EventLoop::terminationFuture)
                    .toArray(CompletableFuture[]::new));
        }

        @Override
        protected ListeningSockets<FakeSocket> listeningSockets() {
            return new ListeningSockets<>() {
                @Override
                public FakeSocket open(SocketAddress address, ListenOptions options) {
                    return new FakeSocket();
                }

                @Override
                public InetSocketAddress localAddress(FakeSocket socket) {
                    return ADDRESS;
                }

                @Override
                public void close(FakeSocket socket) {
                    socket.closed = true;
                }

                @Override
                public AbstractListener<?> newListener(InetSocketAddress bound, ListenOptions options,
                        Supplier<? extends ConnectionHandler> handlers) {
                    return new FakeListener(FakeGroup.this, bound, options, handlers);
                }

                @Override
                public AbstractAcceptor<?> newAcceptor(AbstractListener<?> listener, EventLoop loop, FakeSocket socket) {
                    FakeAcceptor acceptor = new FakeAcceptor(listener, loop, socket);
                    acceptors.add(acceptor);
                    return acceptor;
                }
            };
        }

        @Override
        protected AbstractConnectAttempt newConnectAttempt(EventLoop reactor, SocketAddress address,
                ConnectOptions options, ConnectionHandler handler, CompletableFuture<Connection> result) {
            FakeConnectAttempt attempt = new FakeConnectAttempt(reactor, address, options, handler, result);
            attempts.add(attempt);
            return attempt;
        }
    }

    static final class FakeListener extends AbstractListener<FakeGroup> {
        FakeListener(FakeGroup group, InetSocketAddress address, ListenOptions options,
                Supplier<? extends ConnectionHandler> handlers) {
            super(group, address, options, handlers);
        }
    }

    static final class FakeAcceptor extends AbstractAcceptor<FakeSocket> {
        final Queue<FakeSocket> pending = new ConcurrentLinkedQueue<>();
        final List<Boolean> interest = new CopyOnWriteArrayList<>();
        private final FakeSocket socket;
        volatile boolean failNext;

        FakeAcceptor(AbstractListener<?> listener, EventLoop loop, FakeSocket socket) {
            super(listener, loop);
            this.socket = socket;
        }

        @Override
        protected void register() {}

        @Override
        protected FakeSocket acceptOne() throws IOException {
            if (failNext) {
                failNext = false;
                throw new IOException("accept4 failed: EMFILE (Too many open files)");
            }
            return pending.poll();
        }

        @Override
        protected void setAccepting(boolean accepting) {
            interest.add(accepting);
        }

        @Override
        protected void adopt(EventLoop target, FakeSocket accepted, ConnectionHandler handler) {
            ((FakeGroup) target.group()).adopted.add(accepted);
        }

        @Override
        protected void closeAccepted(FakeSocket accepted) {
            accepted.closed = true;
        }

        @Override
        protected void closeListeningSocket() {
            socket.closed = true;
        }
    }

    static final class FakeConnectAttempt extends AbstractConnectAttempt {
        final AtomicInteger socketCloses = new AtomicInteger();
        boolean registered;

        FakeConnectAttempt(EventLoop loop, SocketAddress address, ConnectOptions options, ConnectionHandler handler,
                CompletableFuture<Connection> result) {
            super(loop, address, options, handler, result);
        }

        @Override
        protected boolean connect() {
            return false; // in progress, forever
        }

        @Override
        protected void register() {
            registered = true;
        }

        @Override
        protected boolean finishConnect(int readyOps) {
            return false;
        }

        @Override
        protected Connection newConnection(long id) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected void closeSocket() {
            socketCloses.incrementAndGet();
        }
    }
}
