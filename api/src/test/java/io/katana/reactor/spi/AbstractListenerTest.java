package io.katana.reactor.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class AbstractListenerTest {
    private static final InetSocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 8080);

    private final SocketlessGroup group = new SocketlessGroup();

    @Test
    void admitsUpToTheLimitAndAgainOnceASlotIsReleased() {
        CountingListener listener = new CountingListener(ListenOptions.DEFAULT.withMaxConnections(2));

        assertThat(listener.tryAdmit()).isTrue();
        assertThat(listener.tryAdmit()).isTrue();
        assertThat(listener.tryAdmit()).isFalse();
        listener.release();
        assertThat(listener.tryAdmit()).isTrue();
        assertThat(listener.tryAdmit()).isFalse();
    }

    @Test
    void noLimitAdmitsEveryConnection() {
        CountingListener listener = new CountingListener(ListenOptions.DEFAULT);

        for (int i = 0; i < 10_000; i++) {
            assertThat(listener.tryAdmit()).isTrue();
        }
    }

    @Test
    void closesItsSocketsOnceHoweverOftenItIsClosed() throws IOException {
        CountingListener listener = new CountingListener(ListenOptions.DEFAULT);
        listener.awaitAccepting(List.of(CompletableFuture.completedFuture(null)));

        listener.close();
        listener.close();

        assertThat(listener.isOpen()).isFalse();
        assertThat(listener.socketCloses.get()).isEqualTo(1);
    }

    @Test
    void theGroupsShutdownClosesTheListenersThatStarted() throws IOException {
        CountingListener started = new CountingListener(ListenOptions.DEFAULT);
        started.awaitAccepting(List.of(CompletableFuture.completedFuture(null)));
        CountingListener neverStarted = new CountingListener(ListenOptions.DEFAULT);

        group.shutdownGracefully(Duration.ZERO);

        assertThat(started.isOpen()).isFalse();
        assertThat(started.socketCloses.get()).isEqualTo(1);
        assertThat(neverStarted.isOpen()).isTrue();
    }

    @Test
    void aSocketThatFailsToStartClosesTheListenerAndSaysWhy() {
        CountingListener listener = new CountingListener(ListenOptions.DEFAULT);
        CompletableFuture<Void> failed = CompletableFuture.failedFuture(new IOException("epoll_ctl ADD: EBADF"));

        assertThatThrownBy(() -> listener.awaitAccepting(List.of(CompletableFuture.completedFuture(null), failed)))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot start accepting on " + ADDRESS + ": epoll_ctl ADD: EBADF");
        assertThat(listener.isOpen()).isFalse();
        assertThat(listener.socketCloses.get()).isEqualTo(1);
    }

    @Test
    void aSecondCloseWaitsForTheSocketsTheFirstIsClosing() throws Exception {
        CompletableFuture<Void> socketsClosed = new CompletableFuture<>();
        CountingListener listener = new CountingListener(ListenOptions.DEFAULT, socketsClosed);
        Thread first = Thread.ofVirtual().start(listener::close);
        while (listener.socketCloses.get() == 0) {
            Thread.onSpinWait();
        }

        Thread second = Thread.ofVirtual().start(listener::close);
        // Returning now would be the bug; a correct second close blocks until the sockets close.
        assertThat(second.join(Duration.ofMillis(200))).isFalse();
        socketsClosed.complete(null);

        assertThat(second.join(Duration.ofSeconds(10))).isTrue();
        assertThat(first.join(Duration.ofSeconds(10))).isTrue();
        assertThat(listener.socketCloses.get()).isEqualTo(1);
    }

    @Test
    void releasingMoreThanWasAdmittedDoesNotLiftTheLimit() {
        CountingListener listener = new CountingListener(ListenOptions.DEFAULT.withMaxConnections(1));

        listener.release();
        listener.release();

        assertThat(listener.tryAdmit()).isTrue();
        assertThat(listener.tryAdmit()).isFalse();
    }

    @Test
    void startingWhileTheGroupShutsDownClosesTheListenerAndSaysSo() {
        CountingListener listener = new CountingListener(ListenOptions.DEFAULT);
        group.shutdownGracefully(Duration.ZERO);

        assertThatThrownBy(() -> listener.awaitAccepting(List.of(CompletableFuture.completedFuture(null))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("this test reactor group is shutting down");
        assertThat(listener.isOpen()).isFalse();
        assertThat(listener.socketCloses.get()).isEqualTo(1);
    }

    @Test
    void anInterruptWhileStartingClosesTheListenerAndKeepsTheInterrupt() {
        CountingListener listener = new CountingListener(ListenOptions.DEFAULT);

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> listener.awaitAccepting(List.of(new CompletableFuture<>())))
                    .isInstanceOf(IOException.class)
                    .hasMessage("interrupted while starting to listen on " + ADDRESS);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(listener.isOpen()).isFalse();
        assertThat(listener.socketCloses.get()).isEqualTo(1);
    }

    private final class CountingListener extends AbstractListener<SocketlessGroup> {
        final AtomicInteger socketCloses = new AtomicInteger();
        private final CompletableFuture<?> socketsClosed;

        CountingListener(ListenOptions options) {
            this(options, CompletableFuture.completedFuture(null));
        }

        CountingListener(ListenOptions options, CompletableFuture<?> socketsClosed) {
            super(group, ADDRESS, options, () -> null);
            this.socketsClosed = socketsClosed;
        }

        @Override
        protected CompletableFuture<?> closeSockets() {
            socketCloses.incrementAndGet();
            return socketsClosed;
        }
    }

    /** A group with no reactors: enough to track listeners and close them on shutdown. */
    private static final class SocketlessGroup extends AbstractReactorGroup {
        SocketlessGroup() {
            super("test", ReactorConfig.defaults());
        }

        @Override
        protected ListeningSockets<?> listeningSockets() {
            throw new UnsupportedOperationException();
        }

        @Override
        protected AbstractConnectAttempt newConnectAttempt(EventLoop reactor, SocketAddress address,
                ConnectOptions options, ConnectionHandler handler, CompletableFuture<Connection> result) {
            throw new UnsupportedOperationException();
        }
    }
}
