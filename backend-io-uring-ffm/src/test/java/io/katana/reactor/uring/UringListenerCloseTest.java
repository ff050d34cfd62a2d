package io.katana.reactor.uring;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A listener's port is free when its {@code close()} returns. The ring closes the listening socket,
 * but the multishot accept cancelled with it holds the socket until its completion is posted, which
 * with {@code DEFER_TASKRUN} happens only in an enter that gets events: a close that only submitted
 * left the port listening until the loop's next wait, and a connect in between succeeded (the
 * conformance check {@code closingAListenerKeepsItsConnections} failed 2 times in 4 runs of the suite
 * that way). Many rounds, because one round loses that race only sometimes.
 */
class UringListenerCloseTest {
    private static final int ROUNDS = 200;

    @Test
    void thePortRefusesConnectsOnceCloseReturns() throws Exception {
        UringReactorProvider provider = new UringReactorProvider();
        assumeTrue(provider.isAvailable(), () -> "io_uring is not available here: " + provider.availability().reason());
        try (ReactorGroup group = provider.open(ReactorConfig.defaults().withThreads(1))) {
            for (int round = 0; round < ROUNDS; round++) {
                Listener listener = group.listen(new InetSocketAddress("127.0.0.1", 0), Discarding::new);
                int port = listener.localAddress().getPort();
                try (Socket accepted = new Socket("127.0.0.1", port)) {
                    listener.close();
                    int closedIn = round;
                    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
                            .as("a connect to port %d right after its listener's close returned (round %d)", port, closedIn)
                            .isInstanceOf(ConnectException.class);
                }
            }
        }
    }

    /** Reads and drops whatever comes. */
    private static final class Discarding implements ConnectionHandler {
        @Override
        public void onRead(Connection connection, ByteBuffer data) {
            data.position(data.limit());
        }
    }
}
