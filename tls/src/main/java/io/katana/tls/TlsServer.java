package io.katana.tls;

import io.katana.reactor.ConnectionHandler;
import io.katana.tls.spi.TlsContext;
import io.katana.tls.spi.TlsEngineProvider;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The server side of TLS: wraps the handlers of a listener so that each accepted connection first
 * completes a handshake, then hands its wrapped handler plaintext on a {@link TlsConnection}.
 *
 * <pre>{@code
 * TlsServer tls = TlsServer.open(TlsServerConfig.builder(Path.of("fullchain.pem"), Path.of("key.pem")).build());
 * group.listen(address, tls.wrap(MyHandler::new));
 * }</pre>
 *
 * <p>A handshake that fails or times out closes its connection without the wrapped handler ever being
 * made; it is logged at DEBUG only, as scanners and broken clients make many.
 *
 * <p><b>Threading:</b> safe from any thread; {@link #wrap}'s supplier is called on reactor threads.
 * Close it once its listeners are closed: a native engine frees its key material then.
 */
public final class TlsServer implements AutoCloseable {
    private final TlsServerConfig config;
    private final TlsEngineProvider engine;
    private final TlsContext context;

    private TlsServer(TlsServerConfig config, TlsEngineProvider engine) {
        this.config = Objects.requireNonNull(config, "config");
        this.engine = Objects.requireNonNull(engine, "engine");
        engine.ensureAvailability();
        this.context = engine.newServerContext(config);
    }

    /**
     * Prepares a server on the best TLS engine ({@link TlsEngines#best()}).
     *
     * @param config keys, names and protocol settings
     * @return the server, ready to wrap handlers
     * @throws TlsEngineUnavailableException if no engine (or not the forced one) can run
     */
    public static TlsServer open(TlsServerConfig config) {
        return new TlsServer(config, TlsEngines.best());
    }

    /**
     * Prepares a server on a given engine.
     *
     * @param config keys, names and protocol settings
     * @param engine the engine to use
     * @return the server, ready to wrap handlers
     * @throws TlsEngineUnavailableException if the engine cannot run here
     */
    public static TlsServer open(TlsServerConfig config, TlsEngineProvider engine) {
        return new TlsServer(config, engine);
    }

    /**
     * {@return a handler factory for a listener: each handler runs a TLS handshake, then serves the
     * plaintext with a handler from {@code handlers}}
     *
     * @param handlers makes the wrapped handler of each connection, once its handshake is complete
     */
    public Supplier<ConnectionHandler> wrap(Supplier<? extends ConnectionHandler> handlers) {
        Objects.requireNonNull(handlers, "handlers");
        return () -> new TlsHandler(context, context.newEngine(null, -1), engine.name(), config.handshakeTimeout(), handlers);
    }

    /** {@return the configuration served} */
    public TlsServerConfig config() {
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
        return "TlsServer[" + engine.name() + ", " + config + "]";
    }
}
