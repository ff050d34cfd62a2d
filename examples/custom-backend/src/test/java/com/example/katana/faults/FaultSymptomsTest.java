package com.example.katana.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The two faults whose catching checks are on another branch produce, through the API, the symptom
 * those checks look for, so the catalogue's claim does not rest on code nobody ran: a spinning loop
 * after a both-way shutdown (counted in loop iterations, as the {@code conn} branch's check counts
 * them), and no {@code onClose} for a reset while reading is paused.
 */
class FaultSymptomsTest {

    private ReactorGroup group;

    @AfterEach
    void shutDown() {
        FaultyReactorProvider.inject(Fault.NONE);
        if (group != null) {
            group.shutdownGracefully(Duration.ofSeconds(2)).orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    private Listener listen(Fault fault, ConnectionHandler handler) throws Exception {
        FaultyReactorProvider.inject(fault);
        group = new FaultyReactorProvider().open(ReactorConfig.defaults().withThreads(1));
        return group.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> handler);
    }

    @Test
    void hangUpSpinKeepsTheLoopTurningOnlyWithTheFault() throws Exception {
        assertThat(iterationsIn200msAfterABothWayShutdown(Fault.NONE)).as("loop iterations without the fault")
                .isLessThan(100);
        assertThat(iterationsIn200msAfterABothWayShutdown(Fault.HANG_UP_SPIN)).as("loop iterations with HANG_UP_SPIN")
                .isGreaterThan(1_000);
    }

    private long iterationsIn200msAfterABothWayShutdown(Fault fault) throws Exception {
        CompletableFuture<Connection> bothWays = new CompletableFuture<>();
        Listener listener = listen(fault, new ConnectionHandler() {
            @Override
            public void onRead(Connection connection, ByteBuffer data) {
                data.position(data.limit());
            }

            @Override
            public void onInputClosed(Connection connection) {
                connection.shutdownOutput(); // shut both ways, but leave the connection open
                bothWays.complete(connection);
            }
        });
        try (Socket peer = new Socket()) {
            peer.setSoTimeout(10_000);
            peer.connect(listener.localAddress());
            peer.shutdownOutput();
            assertThat(peer.getInputStream().read()).as("the server's FIN").isEqualTo(-1);
            Connection connection = bothWays.get(10, TimeUnit.SECONDS);
            Thread.sleep(100);
            long before = connection.reactor().stats().loopIterations();
            Thread.sleep(200);
            long iterations = connection.reactor().stats().loopIterations() - before;
            connection.close();
            return iterations;
        } finally {
            shutDown();
            group = null;
        }
    }

    @Test
    void aResetWhilePausedIsNotReportedUntilResumeWithTheFault() throws Exception {
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        Listener listener = listen(Fault.RESET_WHILE_PAUSED_UNREPORTED, new ConnectionHandler() {
            @Override
            public void onOpen(Connection connection) {
                connection.pauseReading();
                opened.complete(connection);
            }

            @Override
            public void onRead(Connection connection, ByteBuffer data) {
                data.position(data.limit());
            }

            @Override
            public void onClose(Connection connection, Throwable cause) {
                closed.complete(cause);
            }
        });
        Socket peer = new Socket();
        peer.connect(listener.localAddress());
        Connection connection = opened.get(10, TimeUnit.SECONDS);
        peer.setSoLinger(true, 0);
        peer.close(); // a reset
        Thread.sleep(500);
        assertThat(closed).as("onClose while paused, with the fault").isNotDone();
        connection.resumeReading();
        assertThat(closed.get(10, TimeUnit.SECONDS)).as("the cause reported after resume").isNotNull();
    }
}
