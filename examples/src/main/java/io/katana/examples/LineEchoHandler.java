package io.katana.examples;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A model of a custom protocol on the reactor SPI: newline-delimited frames, each echoed back
 * whole.
 *
 * <ul>
 *   <li><b>Framing</b>: only complete lines are echoed; a partial line is left unconsumed in the
 *       read buffer, and the reactor presents it again with the bytes that complete it. No copy.
 *   <li><b>Limits</b>: a line longer than {@link #MAX_LINE} bytes gets an error line and the
 *       connection is closed, so a peer cannot make the server buffer without bound.
 *   <li><b>Backpressure</b>: when the peer reads slower than it writes, the outbound queue passes
 *       its high water mark; the handler then pauses reading, and resumes once the queue drains.
 * </ul>
 *
 * <p><b>Threading:</b> one instance per connection; called on its reactor thread only.
 */
final class LineEchoHandler implements ConnectionHandler {
    static final int MAX_LINE = 64 * 1024;
    private static final byte[] TOO_LONG =
            ("error: line longer than " + MAX_LINE + " bytes; closing\n").getBytes(StandardCharsets.US_ASCII);

    @Override
    public void onRead(Connection connection, ByteBuffer data) {
        int lineStart = data.position();
        boolean echoed = false;
        for (int i = lineStart; i < data.limit(); i++) {
            if (data.get(i) == '\n') {
                connection.write(data.slice(lineStart, i + 1 - lineStart));
                lineStart = i + 1;
                echoed = true;
            }
        }
        data.position(lineStart); // the partial line stays unconsumed until the rest arrives
        if (data.remaining() > MAX_LINE) {
            connection.write(TOO_LONG);
            connection.close();
            return;
        }
        if (echoed) {
            connection.flush();
            if (!connection.isWritable()) {
                connection.pauseReading();
            }
        }
    }

    @Override
    public void onWritabilityChanged(Connection connection, boolean writable) {
        if (writable) {
            connection.resumeReading();
        }
    }

    @Override
    public void onInputClosed(Connection connection) {
        connection.close(); // after the echoes already queued are written
    }
}
