package io.katana.benchmarks;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import java.nio.ByteBuffer;

/**
 * Writes back whatever arrives, one flush per read. Stateless, so one instance serves every
 * connection.
 *
 * <p><b>Threading:</b> called on each connection's reactor thread.
 */
final class EchoHandler implements ConnectionHandler {

    @Override
    public void onRead(Connection connection, ByteBuffer data) {
        connection.write(data);
        connection.flush();
    }
}
