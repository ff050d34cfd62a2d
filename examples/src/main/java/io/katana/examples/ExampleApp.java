package io.katana.examples;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The application {@code katana serve} runs. Until the HTTP module lands it answers every request
 * head with one fixed response, written straight on the reactor SPI.
 */
public final class ExampleApp {
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n"
            + "Server: katana\r\n\r\nHello, World!").getBytes(StandardCharsets.US_ASCII);

    private ExampleApp() {}

    /** Starts serving on {@code address}; closing the returned listener stops accepting. */
    public static Listener start(ReactorGroup group, InetSocketAddress address) throws IOException {
        return group.listen(address, FixedResponder::new);
    }

    /** Answers each request head (up to the blank line) with {@link #RESPONSE}; ignores bodies. */
    private static final class FixedResponder implements ConnectionHandler {
        private final ByteBuffer response = ByteBuffer.wrap(RESPONSE);
        private int matched; // how much of CRLF CRLF has been seen

        @Override
        public void onRead(Connection connection, ByteBuffer data) {
            boolean answered = false;
            while (data.hasRemaining()) {
                byte b = data.get();
                matched = switch (matched) {
                    case 0, 2 -> b == '\r' ? matched + 1 : 0;
                    case 1, 3 -> b == '\n' ? matched + 1 : b == '\r' ? 1 : 0;
                    default -> 0;
                };
                if (matched == 4) {
                    matched = 0;
                    connection.write(response.clear());
                    answered = true;
                }
            }
            if (answered) {
                connection.flush();
            }
        }
    }
}
