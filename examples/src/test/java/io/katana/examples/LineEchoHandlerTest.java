package io.katana.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.Listener;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.Reactors;
import io.katana.reactor.spi.ReactorProvider;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The echo example on every backend: framing across reads, a large burst, the line limit. */
class LineEchoHandlerTest {

    static Stream<ReactorProvider> providers() {
        return Reactors.all().stream().filter(ReactorProvider::isAvailable);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void echoesWholeLinesEvenWhenTheyArriveInPieces(ReactorProvider provider) throws Exception {
        try (ReactorGroup group = provider.open(ReactorConfig.defaults().withThreads(1))) {
            Listener listener = group.listen(new InetSocketAddress("127.0.0.1", 0), LineEchoHandler::new);
            try (Socket socket = new Socket("127.0.0.1", listener.localAddress().getPort())) {
                socket.setSoTimeout(10_000);
                socket.setTcpNoDelay(true);
                OutputStream out = socket.getOutputStream();
                out.write("hel".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(50); // the partial line reaches the server alone
                out.write("lo\nsecond line\nthi".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(readExactly(socket.getInputStream(), 18)).isEqualTo("hello\nsecond line\n");
                out.write("rd\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(readExactly(socket.getInputStream(), 6)).isEqualTo("third\n");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void echoesABurstLargerThanTheSocketBuffersWithBackpressure(ReactorProvider provider) throws Exception {
        byte[] line = new byte[1000];
        Arrays.fill(line, (byte) 'x');
        line[line.length - 1] = '\n';
        int lines = 20_000; // 20 MB: the server pauses reading while its writes wait for this reader
        try (ReactorGroup group = provider.open(ReactorConfig.defaults().withThreads(1))) {
            Listener listener = group.listen(new InetSocketAddress("127.0.0.1", 0), LineEchoHandler::new);
            try (Socket socket = new Socket("127.0.0.1", listener.localAddress().getPort())) {
                socket.setSoTimeout(30_000);
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        OutputStream out = socket.getOutputStream();
                        for (int i = 0; i < lines; i++) {
                            out.write(line);
                        }
                        socket.shutdownOutput();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                byte[] echoed = socket.getInputStream().readAllBytes();
                writer.join(30_000);
                assertThat(echoed.length).isEqualTo(lines * line.length);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void aLineOverTheLimitGetsAnErrorAndTheConnectionCloses(ReactorProvider provider) throws Exception {
        try (ReactorGroup group = provider.open(ReactorConfig.defaults().withThreads(1))) {
            Listener listener = group.listen(new InetSocketAddress("127.0.0.1", 0), LineEchoHandler::new);
            try (Socket socket = new Socket("127.0.0.1", listener.localAddress().getPort())) {
                socket.setSoTimeout(10_000);
                byte[] endless = new byte[LineEchoHandler.MAX_LINE + 1];
                Arrays.fill(endless, (byte) 'y');
                socket.getOutputStream().write(endless);
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(answer).isEqualTo("error: line longer than 65536 bytes; closing\n");
            }
        }
    }

    private static String readExactly(InputStream in, int n) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (got.size() < n) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            got.write(b);
        }
        return got.toString(StandardCharsets.US_ASCII);
    }
}
