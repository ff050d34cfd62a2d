package io.katana.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.tls.ClientAuth;
import io.katana.tls.TlsClient;
import io.katana.tls.TlsClientConfig;
import io.katana.tls.TlsConnection;
import io.katana.tls.TlsEngines;
import io.katana.tls.TlsServer;
import io.katana.tls.TlsServerConfig;
import io.katana.tls.TlsTruncationException;
import io.katana.tls.spi.TlsEngineProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Assumptions;

/** The TLS checks, over a harness and a server and a client engine. Used by one check's thread. */
final class TlsChecks {
    private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);

    private final Harness harness;
    private final TlsEngineProvider serverEngine;
    private final TlsEngineProvider clientEngine;
    private final AtomicInteger handlersMade = new AtomicInteger();

    TlsChecks(Harness harness, TlsEngineProvider serverEngine, TlsEngineProvider clientEngine) {
        this.harness = harness;
        this.serverEngine = serverEngine;
        this.clientEngine = clientEngine;
    }

    // ------------------------------------------------------------------ helpers

    private static TlsServerConfig.Builder serverConfig(String identity) {
        return TlsServerConfig.builder(TlsCertificates.identity(identity));
    }

    private static TlsClientConfig.Builder clientConfig() {
        return TlsClientConfig.builder().trustedCertificates(TlsCertificates.certificates("ca.pem"));
    }

    /** Serves {@code config} on the server backend; {@code handlers} is counted as it makes handlers. */
    private InetSocketAddress serve(TlsServerConfig config, Supplier<? extends ConnectionHandler> handlers)
            throws IOException {
        TlsServer tls = harness.track(TlsServer.open(config, serverEngine));
        Listener listener = harness.listen(harness.server(), tls.wrap(() -> {
            handlersMade.incrementAndGet();
            return handlers.get();
        }));
        return listener.localAddress();
    }

    private static Supplier<ConnectionHandler> echo() {
        return () -> new ConnectionHandler() {
            @Override
            public void onRead(Connection connection, ByteBuffer data) {
                connection.write(data);
                connection.flush();
            }
        };
    }

    private CompletableFuture<TlsConnection> connect(TlsClientConfig config, InetSocketAddress address,
            ConnectionHandler handler) {
        TlsClient client = harness.track(TlsClient.open(config, clientEngine));
        return client.connect(harness.client(), address, ConnectOptions.DEFAULT, handler);
    }

    private TlsConnection open(TlsClientConfig config, InetSocketAddress address, ConnectionHandler handler) {
        return Waits.await(connect(config, address, handler), "TLS connect to " + address + " with " + clientEngine.name());
    }

    private byte[] random(int length) {
        byte[] bytes = new byte[length];
        harness.random().nextBytes(bytes);
        return bytes;
    }

    private SSLEngine peerEngine(boolean client, String protocol) {
        SSLEngine engine = peerEngine(client);
        engine.setEnabledProtocols(new String[] {protocol});
        return engine;
    }

    private SSLEngine peerEngine(boolean client) {
        SSLEngine engine = client
                ? TlsCertificates.jdkContext(null).createSSLEngine("localhost", 443)
                : TlsCertificates.jdkContext(TlsCertificates.identity("server-ec")).createSSLEngine();
        engine.setUseClientMode(client);
        return engine;
    }

    private static void assertClosedByServer(Socket socket, String what) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            while (in.read(buffer) >= 0) {
                // an alert may come first; the end of stream must follow
            }
        } catch (SocketException reset) {
            // a reset is a close too
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError(what + ": the server did not close the connection within "
                    + socket.getSoTimeout() + " ms");
        }
    }

    // ------------------------------------------------------------------ checks

    void engineIsFoundByName() {
        assertThat(TlsEngines.all()).as("engines found by ServiceLoader").extracting(TlsEngineProvider::name)
                .contains(serverEngine.name());
        assertThat(TlsEngines.named(serverEngine.name()).getClass()).isEqualTo(serverEngine.getClass());
        assertThat(serverEngine.isAvailable()).isTrue();
        assertThat(serverEngine.unavailabilityCause()).isNull();
    }

    void handshakesAndEchoes(String protocol, String identity) throws IOException {
        InetSocketAddress address = serve(serverConfig(identity).build(), echo());
        TlsRecorder client = new TlsRecorder();
        TlsConnection connection = open(clientConfig().protocols(protocol).build(), address, client);
        byte[] sent = random(100_000);

        connection.writeAndFlush(ByteBuffer.wrap(sent));

        assertThat(client.awaitBytes(sent.length, protocol + " echo")).isEqualTo(sent);
        assertThat(connection.protocol()).isEqualTo(protocol);
        assertThat(connection.engineName()).isEqualTo(clientEngine.name());
        assertThat(connection.cipherSuite()).contains("GCM");
        connection.close();
        assertThat(client.awaitClose("client close")).isNull();
    }

    void alpnPicksTheServersPreference() throws IOException {
        InetSocketAddress address = serve(serverConfig("server-ec").applicationProtocols("h2", "http/1.1").build(), echo());

        TlsConnection both = open(clientConfig().applicationProtocols("http/1.1", "h2").build(), address, new TlsRecorder());
        TlsConnection one = open(clientConfig().applicationProtocols("http/1.1").build(), address, new TlsRecorder());
        TlsConnection none = open(clientConfig().build(), address, new TlsRecorder());

        assertThat(both.applicationProtocol()).as("both offered: the server's first").isEqualTo("h2");
        assertThat(one.applicationProtocol()).isEqualTo("http/1.1");
        assertThat(none.applicationProtocol()).as("client without ALPN").isNull();
        Throwable refused = Waits.awaitFailure(connect(clientConfig().applicationProtocols("spdy/3").build(), address,
                new TlsRecorder()), "ALPN with no protocol in common");
        assertThat(refused).isInstanceOf(SSLException.class);
    }

    void sniChoosesTheIdentityByName() throws IOException {
        List<TlsRecorder> served = new java.util.concurrent.CopyOnWriteArrayList<>();
        InetSocketAddress address = serve(serverConfig("server-ec")
                .identityFor("a.example", TlsCertificates.identity("a-example"))
                .identityFor("*.b.example", TlsCertificates.identity("b-example"))
                .build(), () -> {
                    TlsRecorder recorder = new TlsRecorder();
                    served.add(recorder);
                    return recorder;
                });

        assertThat(peerName(address, "a.example")).isEqualTo("CN=a.example");
        assertThat(peerName(address, "www.b.example")).isEqualTo("CN=b.example");
        assertThat(peerName(address, "localhost")).isEqualTo("CN=localhost");
        Waits.until(() -> served.size() == 3, Waits.EVENT, () -> served.size() + " of 3 connections served");
        // in any order: with TLS 1.3 a client is done before its server, so the server sides may finish out of turn
        List<String> names = served.stream()
                .map(recorder -> ((TlsConnection) Waits.await(recorder.opened, "server side opened")).serverName())
                .toList();
        assertThat(names).containsExactlyInAnyOrder("a.example", "www.b.example", "localhost");
    }

    private String peerName(InetSocketAddress address, String serverName) throws IOException {
        TlsConnection connection = open(clientConfig().serverName(serverName).build(), address, new TlsRecorder());
        X509Certificate peer = (X509Certificate) connection.session().getPeerCertificates()[0];
        connection.close();
        return peer.getSubjectX500Principal().getName();
    }

    void recordsSplitAtEveryByteReachTheServer() throws Exception {
        InetSocketAddress address = serve(serverConfig("server-ec").build(), echo());
        TlsPeer peer = new TlsPeer(harness.rawClient(address), peerEngine(true), 1);
        peer.handshake();
        byte[] sent = random(3000);

        peer.send(sent);

        assertThat(peer.receive(sent.length)).isEqualTo(sent);
    }

    void recordsSplitAtEveryByteReachTheClient() throws Exception {
        ServerSocket listening = harness.track(new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress()));
        Future<byte[]> peerSide = harness.background(() -> {
            try (Socket socket = listening.accept()) {
                socket.setSoTimeout((int) Waits.EVENT.toMillis());
                socket.setTcpNoDelay(true);
                TlsPeer peer = new TlsPeer(socket, peerEngine(false), 1);
                peer.handshake();
                byte[] request = peer.receive(PING.length);
                byte[] reply = new byte[5000];
                java.util.Arrays.fill(reply, (byte) 'x');
                peer.send(reply);
                peer.closeOutbound();
                return request;
            }
        });
        TlsRecorder client = new TlsRecorder();
        TlsConnection connection = open(clientConfig().build(),
                new InetSocketAddress(listening.getInetAddress(), listening.getLocalPort()), client);

        connection.writeAndFlush(ByteBuffer.wrap(PING));

        assertThat(client.awaitBytes(5000, "reply split at every byte")).containsOnly((byte) 'x');
        assertThat(Harness.join(peerSide, Waits.EVENT, "the splitting server")).isEqualTo(PING);
        Waits.await(client.inputClosed, "close_notify from the splitting server");
    }

    /**
     * The server sends 16 MiB as fast as writability allows; the client pauses reading for a while
     * after every MiB and, in the first half, leaves part of every other read unconsumed. Every byte
     * must arrive, in order.
     */
    void bigTransferUnderBackpressure() throws IOException {
        int total = 16 << 20;
        InetSocketAddress address = serve(serverConfig("server-ec").build(), () -> new PatternSender(total));
        CompletableFuture<Long> done = new CompletableFuture<>();
        ConnectionHandler client = new ConnectionHandler() {
            private long position;
            private long nextPause = 1 << 20;
            private boolean half;

            @Override
            public void onRead(Connection connection, ByteBuffer data) {
                // leave bytes unconsumed in the first half only: at the end of input they would be lost
                boolean leave = (half = !half) && position < total / 2 && data.remaining() > 1;
                int take = leave ? data.remaining() / 2 : data.remaining();
                for (int i = 0; i < take; i++) {
                    if (data.get() != PatternSender.byteAt(position)) {
                        done.completeExceptionally(new AssertionError("byte " + position + " differs"));
                        connection.abort();
                        return;
                    }
                    position++;
                }
                if (position >= nextPause) {
                    nextPause += 1 << 20;
                    connection.pauseReading();
                    connection.reactor().schedule(Duration.ofMillis(20), connection::resumeReading);
                }
            }

            @Override
            public void onInputClosed(Connection connection) {
                done.complete(position);
                connection.close();
            }
        };
        open(clientConfig().build(), address, client);

        assertThat(Waits.await(done, Waits.TRANSFER, "16 MiB under backpressure")).isEqualTo((long) total);
    }

    /** Writes {@code total} bytes of a known pattern while writable, then closes. */
    private static final class PatternSender implements ConnectionHandler {
        private final long total;
        private long sent;

        PatternSender(long total) {
            this.total = total;
        }

        static byte byteAt(long i) {
            return (byte) (i * 31 + (i >>> 11));
        }

        @Override
        public void onOpen(Connection connection) {
            produce(connection);
        }

        @Override
        public void onWritabilityChanged(Connection connection, boolean writable) {
            if (writable) {
                produce(connection);
            }
        }

        @Override
        public void onRead(Connection connection, ByteBuffer data) {
            data.position(data.limit());
        }

        private void produce(Connection connection) {
            ByteBuffer chunk = ByteBuffer.allocate(32 * 1024);
            while (sent < total && connection.isWritable()) {
                chunk.clear();
                int n = (int) Math.min(chunk.capacity(), total - sent);
                for (int i = 0; i < n; i++) {
                    chunk.put(byteAt(sent + i));
                }
                sent += n;
                connection.write(chunk.flip());
                connection.flush();
            }
            if (sent == total) {
                connection.close();
            }
        }
    }

    void writesFromOtherThreadsArriveInOrder() throws IOException {
        TlsRecorder server = new TlsRecorder();
        InetSocketAddress address = serve(serverConfig("server-ec").build(), () -> server);
        TlsConnection connection = open(clientConfig().build(), address, new TlsRecorder());
        byte[] expected = new byte[2000 * 4];

        for (int i = 0; i < 2000; i++) {
            byte[] piece = ByteBuffer.allocate(4).putInt(i).array();
            System.arraycopy(piece, 0, expected, i * 4, 4);
            connection.write(ByteBuffer.wrap(piece)); // this thread is no reactor's: each write is handed over
            if (i % 100 == 99) {
                connection.flush();
            }
        }
        connection.flush();

        assertThat(server.awaitBytes(expected.length, "writes from a foreign thread")).isEqualTo(expected);
    }

    /** A file region sent on a TLS connection arrives encrypted, in its place among the writes. */
    void fileRegionsAreEncryptedInTheirPlace() throws IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("katana-tls-region", ".bin");
        try {
            byte[] content = random(200_000);
            java.nio.file.Files.write(file, content);
            InetSocketAddress address = serve(serverConfig("server-ec").build(), () -> new ConnectionHandler() {
                @Override
                public void onRead(Connection connection, ByteBuffer data) {
                    data.position(data.limit());
                    connection.write(ByteBuffer.wrap(PING));
                    try {
                        connection.sendFile(file, 1000, 150_000);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    connection.write(ByteBuffer.wrap(PING));
                    connection.flush();
                }
            });
            TlsRecorder client = new TlsRecorder();
            open(clientConfig().build(), address, client).writeAndFlush(ByteBuffer.wrap(PING));

            byte[] received = client.awaitBytes(150_000 + 2 * PING.length, "a file region between two writes");
            java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
            expected.writeBytes(PING);
            expected.write(content, 1000, 150_000);
            expected.writeBytes(PING);
            assertThat(received).isEqualTo(expected.toByteArray());
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    /** TLS 1.3: close_notify from the client ends the server's input, and the server still answers. */
    void closeNotifyHalfClosesBothWays() throws IOException {
        TlsRecorder server = new TlsRecorder() {
            @Override
            public void onInputClosed(Connection connection) {
                connection.write(ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII)));
                super.onInputClosed(connection); // then closes
            }
        };
        InetSocketAddress address = serve(serverConfig("server-ec").build(), () -> server);
        TlsRecorder client = new TlsRecorder();
        TlsConnection connection = open(clientConfig().protocols("TLSv1.3").build(), address, client);

        connection.write(ByteBuffer.wrap(PING));
        connection.shutdownOutput();

        Waits.await(server.inputClosed, "the server hears the client's close_notify as end of input");
        assertThat(server.received()).isEqualTo(PING);
        assertThat(client.awaitBytes(4, "the answer after the half-close")).isEqualTo("pong".getBytes(StandardCharsets.US_ASCII));
        Waits.await(client.inputClosed, "the client hears the server's close_notify as end of input");
        assertThat(client.awaitClose("client closed")).isNull();
        assertThat(server.awaitClose("server closed")).isNull();
    }

    void truncationIsReportedAsTheCloseCause() throws Exception {
        TlsRecorder server = new TlsRecorder();
        InetSocketAddress address = serve(serverConfig("server-ec").build(), () -> server);
        TlsPeer peer = new TlsPeer(harness.rawClient(address), peerEngine(true), 16 * 1024);
        peer.handshake();

        peer.send(PING);
        server.awaitBytes(PING.length, "data before the truncation");
        peer.socket().close(); // FIN with no close_notify

        assertThat(server.awaitClose("the server after a bare FIN")).isInstanceOf(TlsTruncationException.class);
        assertThat(server.inputClosed).as("no orderly end of input after a truncation").isNotDone();
    }

    void untrustedServerCertificateFailsTheHandshake() throws IOException {
        InetSocketAddress address = serve(serverConfig("untrusted").build(), echo());

        Throwable failure = Waits.awaitFailure(connect(clientConfig().build(), address, new TlsRecorder()),
                "a server certificate from an untrusted CA");

        assertThat(failure).isInstanceOf(SSLException.class);
        assertThat(handlersMade).as("server handlers made for failed handshakes").hasValue(0);
    }

    void certificateForAnotherNameFailsTheHandshake() throws IOException {
        InetSocketAddress address = serve(serverConfig("a-example").build(), echo());

        Throwable failure = Waits.awaitFailure(connect(clientConfig().build(), address, new TlsRecorder()),
                "a certificate for a.example at " + address.getHostString());

        assertThat(failure).isInstanceOf(SSLException.class);
        TlsConnection unchecked = open(clientConfig().verifyHostName(false).build(), address, new TlsRecorder());
        assertThat(unchecked.protocol()).as("the same server with the host name check off").isNotNull();
    }

    void clientCertificatesAreCheckedWhenRequired() throws IOException {
        List<TlsRecorder> served = new java.util.concurrent.CopyOnWriteArrayList<>();
        InetSocketAddress address = serve(serverConfig("server-ec")
                .clientAuth(ClientAuth.REQUIRED, TlsCertificates.certificates("ca.pem")).build(), () -> {
                    TlsRecorder recorder = new TlsRecorder();
                    served.add(recorder);
                    return recorder;
                });

        TlsConnection trusted = open(clientConfig().identity(TlsCertificates.identity("client")).build(), address,
                new TlsRecorder());
        trusted.writeAndFlush(ByteBuffer.wrap(PING));
        Waits.until(() -> served.size() == 1, Waits.EVENT, () -> "the trusted client is served");
        TlsConnection serverSide = (TlsConnection) Waits.await(served.getFirst().opened, "server side opened");
        assertThat(((X509Certificate) serverSide.session().getPeerCertificates()[0]).getSubjectX500Principal().getName())
                .isEqualTo("CN=Katana Test Client");

        assertRefused(address, clientConfig().build(), "no client certificate");
        assertRefused(address, clientConfig().identity(TlsCertificates.identity("untrusted-client")).build(),
                "a client certificate from an untrusted CA");
        assertThat(served).as("only the trusted client reaches a handler").hasSize(1);
    }

    /** With TLS 1.3 the client finishes before the server judges it, so the refusal may come as a close. */
    private void assertRefused(InetSocketAddress address, TlsClientConfig config, String what) {
        TlsRecorder recorder = new TlsRecorder();
        CompletableFuture<TlsConnection> attempt = connect(config, address, recorder);
        try {
            Waits.await(attempt, what);
            assertThat(recorder.awaitClose(what)).as(what + ": the close's cause").isInstanceOf(SSLException.class);
        } catch (AssertionError notOpened) {
            if (!attempt.isCompletedExceptionally()) {
                throw notOpened;
            }
        }
    }

    void optionalClientCertificateMayBeAbsent() throws IOException {
        InetSocketAddress address = serve(serverConfig("server-ec")
                .clientAuth(ClientAuth.OPTIONAL, TlsCertificates.certificates("ca.pem")).build(), echo());
        TlsRecorder client = new TlsRecorder();
        TlsConnection connection = open(clientConfig().build(), address, client);

        connection.writeAndFlush(ByteBuffer.wrap(PING));

        assertThat(client.awaitBytes(PING.length, "echo without a client certificate")).isEqualTo(PING);
    }

    void stalledHandshakeTimesOut() throws Exception {
        InetSocketAddress address = serve(serverConfig("server-ec").handshakeTimeout(Duration.ofMillis(300)).build(),
                echo());
        Socket stalled = harness.rawClient(address);
        byte[] hello = new TlsPeer(stalled, peerEngine(true), 1).firstRecord();
        stalled.getOutputStream().write(hello, 0, hello.length / 2); // half a ClientHello, then nothing
        Socket silent = harness.rawClient(address);                   // nothing at all

        long start = System.nanoTime();
        assertClosedByServer(stalled, "half a ClientHello");
        assertClosedByServer(silent, "a silent client");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(handlersMade).hasValue(0);
    }

    /**
     * A TLS 1.2 client that starts a second handshake on its connection is cut off; a TLS 1.3 client
     * that updates its keys (what the JDK does when a handshake is begun again) is still served.
     */
    void clientInitiatedRenegotiationIsRefused() throws Exception {
        InetSocketAddress address = serve(serverConfig("server-ec").build(), echo());
        TlsPeer keyUpdate = new TlsPeer(harness.rawClient(address), peerEngine(true, "TLSv1.3"), 16 * 1024);
        keyUpdate.handshake();
        keyUpdate.handshake(); // TLS 1.3: a KeyUpdate, not a new handshake

        keyUpdate.send(PING);

        assertThat(keyUpdate.receive(PING.length)).as("an echo after a TLS 1.3 KeyUpdate").isEqualTo(PING);

        Socket socket = harness.rawClient(address);
        TlsPeer renegotiating = new TlsPeer(socket, peerEngine(true, "TLSv1.2"), 16 * 1024);
        renegotiating.handshake();
        renegotiating.send(PING);
        assertThat(renegotiating.receive(PING.length)).as("an echo before the renegotiation").isEqualTo(PING);

        // an error to the client, not an orderly close_notify, which openssl s_client (and so testssl)
        // reads as a renegotiation the server allowed
        assertThatThrownBy(renegotiating::handshake).as("a second TLS 1.2 handshake on one connection")
                .isInstanceOf(IOException.class)
                .satisfies(refusal -> assertThat(refusal.getMessage()).as("how the refusal reached the client")
                        .doesNotContainIgnoringCase("close_notify"));
        assertClosedByServer(socket, "a client-initiated renegotiation");
    }

    void garbageInsteadOfAClientHelloClosesOnlyThatConnection() throws Exception {
        InetSocketAddress address = serve(serverConfig("server-ec").handshakeTimeout(Duration.ofSeconds(2)).build(),
                echo());
        Socket http = harness.rawClient(address);
        http.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Socket noise = harness.rawClient(address);
        noise.getOutputStream().write(random(64 * 1024));
        Socket fakeRecord = harness.rawClient(address);
        fakeRecord.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, (byte) 0xff, (byte) 0xff, 1, 0, 0, 0});

        assertClosedByServer(http, "plain HTTP instead of a ClientHello");
        assertClosedByServer(noise, "64 KiB of random bytes");
        assertClosedByServer(fakeRecord, "a record header announcing 65535 bytes");
        assertThat(handlersMade).hasValue(0);
        TlsRecorder client = new TlsRecorder();
        open(clientConfig().build(), address, client).writeAndFlush(ByteBuffer.wrap(PING));
        assertThat(client.awaitBytes(PING.length, "a good client after the garbage")).isEqualTo(PING);
    }

    // ------------------------------------------------------------------ resumption

    /** What each side of one connection said about its handshake. */
    private record Handshake(String protocol, boolean clientResumed, boolean serverResumed) {}

    /**
     * A server handler that hands its connection to the check once open and echoes, then closes after
     * the first echo when {@code closeAfterEcho} (a client reading until the server closes needs that).
     */
    private static Supplier<ConnectionHandler> echoInto(BlockingQueue<TlsConnection> served, boolean closeAfterEcho) {
        return () -> new ConnectionHandler() {
            @Override
            public void onOpen(Connection connection) {
                served.add((TlsConnection) connection);
            }

            @Override
            public void onRead(Connection connection, ByteBuffer data) {
                connection.write(data);
                if (closeAfterEcho) {
                    connection.close();
                } else {
                    connection.flush();
                }
            }
        };
    }

    /**
     * One connection from {@code client}: an echo (after it, a TLS 1.3 ticket the server sent with its
     * handshake has reached the client), then an orderly close, so the session stays resumable.
     */
    private Handshake handshake(TlsClient client, InetSocketAddress address, BlockingQueue<TlsConnection> served)
            throws InterruptedException {
        TlsRecorder recorder = new TlsRecorder();
        TlsConnection connection = Waits.await(client.connect(harness.client(), address, ConnectOptions.DEFAULT, recorder),
                "TLS connect to " + address + " with " + clientEngine.name());
        connection.writeAndFlush(ByteBuffer.wrap(PING));
        assertThat(recorder.awaitBytes(PING.length, "echo")).isEqualTo(PING);
        TlsConnection server = served.poll(Waits.EVENT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(server).as("the server side of the connection opened").isNotNull();
        connection.close();
        assertThat(recorder.awaitClose("client close")).isNull();
        return new Handshake(connection.protocol(), connection.resumed(), server.resumed());
    }

    /**
     * One client connects twice to one server: the first handshake is full on both sides, the second
     * resumes on both. A new server on the same address (another context, which cannot know the
     * session) gets the old session offered and must do a full handshake, and so must a new client;
     * the client then resumes with the session the new server gave it.
     */
    void secondConnectionResumes(String protocol) throws Exception {
        BlockingQueue<TlsConnection> served = new LinkedBlockingQueue<>();
        TlsServerConfig config = serverConfig("server-ec").build();
        TlsServer first = harness.track(TlsServer.open(config, serverEngine));
        Listener listener = harness.listen(harness.server(), first.wrap(echoInto(served, false)));
        InetSocketAddress address = listener.localAddress();
        TlsClient client = harness.track(TlsClient.open(clientConfig().protocols(protocol).build(), clientEngine));

        assertThat(handshake(client, address, served)).as("first connection").isEqualTo(new Handshake(protocol, false, false));
        assertThat(handshake(client, address, served)).as("second connection, same client and server")
                .isEqualTo(new Handshake(protocol, true, true));

        listener.close();
        TlsServer other = harness.track(TlsServer.open(config, serverEngine));
        harness.server().listen(address, ListenOptions.DEFAULT, other.wrap(echoInto(served, false)));
        assertThat(handshake(client, address, served)).as("a session of another server offered")
                .isEqualTo(new Handshake(protocol, false, false));
        TlsClient newClient = harness.track(TlsClient.open(clientConfig().protocols(protocol).build(), clientEngine));
        assertThat(handshake(newClient, address, served)).as("a new client").isEqualTo(new Handshake(protocol, false, false));
        assertThat(handshake(client, address, served)).as("the first client again, with the new server's session")
                .isEqualTo(new Handshake(protocol, true, true));
    }

    /**
     * {@code openssl s_client} saves the session of its first connection and offers it on its second:
     * what it reports ({@code New}, then {@code Reused}) must be what our server says. TLS 1.2 without
     * tickets resumes from the server's session cache by id.
     */
    void resumptionAgreesWithOpensslSClient(String protocol, Path sessionFile) throws Exception {
        Assumptions.assumeTrue(SClient.installed(), "openssl is not installed (apt-get install openssl)");
        BlockingQueue<TlsConnection> served = new LinkedBlockingQueue<>();
        TlsServer server = harness.track(TlsServer.open(serverConfig("server-ec").build(), serverEngine));
        // s_client (with -ign_eof) ends when the server closes
        Listener listener = harness.listen(harness.server(), server.wrap(echoInto(served, true)));
        String[] version = protocol.equals("TLSv1.3") ? new String[] {"-tls1_3"} : new String[] {"-tls1_2", "-no_ticket"};

        String first = SClient.run(listener.localAddress(), "ping", concat(version, "-sess_out", sessionFile.toString()));
        TlsConnection firstServed = served.poll(Waits.EVENT.toMillis(), TimeUnit.MILLISECONDS);
        String second = SClient.run(listener.localAddress(), "ping", concat(version, "-sess_in", sessionFile.toString()));
        TlsConnection secondServed = served.poll(Waits.EVENT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(first).as("s_client's first connection").contains("New, " + protocol).contains("ping");
        assertThat(firstServed).as("the server side of s_client's first connection").isNotNull();
        assertThat(firstServed.resumed()).as("the server says the first handshake resumed").isFalse();
        assertThat(second).as("s_client's second connection").contains("Reused, " + protocol).contains("ping");
        assertThat(secondServed).as("the server side of s_client's second connection").isNotNull();
        assertThat(secondServed.resumed()).as("the server says the second handshake resumed").isTrue();
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
