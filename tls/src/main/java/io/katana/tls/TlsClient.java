package io.katana.tls;

import io.katana.reactor.ConnectOptions;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ReactorGroup;
import io.katana.tls.spi.TlsContext;
import io.katana.tls.spi.TlsEngineProvider;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The client side of TLS: connects from a reactor group, runs the handshake, then hands the handler
 * plaintext on a {@link TlsConnection}. Sessions are cached per host and port and resumed when the
 * server allows.
 *
 * <p><b>Threading:</b> safe from any thread. Close it when done: a native engine frees its key
 * material then.
 */
public final class TlsClient implements AutoCloseable {
    private final TlsClientConfig config;
    private final TlsEngineProvider engine;
    private final TlsContext context;

    private TlsClient(TlsClientConfig config, TlsEngineProvider engine) {
        this.config = Objects.requireNonNull(config, "config");
        this.engine = Objects.requireNonNull(engine, "engine");
        engine.ensureAvailability();
        this.context = engine.newClientContext(config);
    }

    /**
     * Prepares a client on the best TLS engine ({@link TlsEngines#best()}).
     *
     * @param config trust, identity and protocol settings
     * @return the client
     * @throws TlsEngineUnavailableException if no engine (or not the forced one) can run
     */
    public static TlsClient open(TlsClientConfig config) {
        return new TlsClient(config, TlsEngines.best());
    }

    /**
     * Prepares a client on a given engine.
     *
     * @param config trust, identity and protocol settings
     * @param engine the engine to use
     * @return the client
     * @throws TlsEngineUnavailableException if the engine cannot run here
     */
    public static TlsClient open(TlsClientConfig config, TlsEngineProvider engine) {
        return new TlsClient(config, engine);
    }

    /**
     * Connects, then runs the TLS handshake. The SNI name and the name checked against the server's
     * certificate are {@link TlsClientConfig#serverName()}, else the address's host string.
     *
     * @param group the group whose next reactor connects
     * @param address the server
     * @param options timeout and socket options of the TCP connection
     * @param handler gets {@code onOpen} once the handshake is complete, then plaintext
     * @return completes with the connection after the handler's {@code onOpen}, or fails with the
     *     connect failure, the handshake's {@link javax.net.ssl.SSLException}, or a {@link
     *     TlsHandshakeTimeoutException}
     */
    public CompletableFuture<TlsConnection> connect(ReactorGroup group, InetSocketAddress address,
            ConnectOptions options, ConnectionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        String host = config.serverName() != null ? config.serverName() : address.getHostString();
        CompletableFuture<TlsConnection> established = new CompletableFuture<>();
        TlsHandler tls = new TlsHandler(context, context.newEngine(host, address.getPort()), engine.name(),
                config.handshakeTimeout(), handler, established);
        group.connect(address, options, tls).whenComplete((connection, failure) -> {
            if (failure != null) {
                tls.release(); // the connection never opened, so no onClose will free the engine
                established.completeExceptionally(failure);
            }
        });
        return established;
    }

    /** {@return the configuration in use} */
    public TlsClientConfig config() {
        return config;
    }

    /** {@return the name of the engine in use, such as {@code jdk}} */
    public String engineName() {
        return engine.name();
    }

    /** Releases the engine's context; connections already open keep working until they close. */
    @Override
    public void close() {
        context.close();
    }

    @Override
    public String toString() {
        return "TlsClient[" + engine.name() + ", " + config + "]";
    }
}
