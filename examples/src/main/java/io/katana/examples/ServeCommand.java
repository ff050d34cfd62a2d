package io.katana.examples;

import io.katana.http.HttpServer;
import io.katana.http.HttpTimeouts;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.spi.ReactorProvider;
import io.katana.tls.TlsServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code katana serve}: the example application on the chosen backend until Ctrl-C or SIGTERM,
 * which shut it down gracefully. {@code --stats} prints the counters every few seconds. Besides the
 * options every server takes: {@code --max-connections N} (0: no limit), {@code --drain S} (the
 * graceful shutdown's limit), {@code --header-timeout S}, {@code --idle-timeout S} and
 * {@code --min-body-rate B} (the HTTP timeouts, see {@link HttpTimeouts}), {@code --defer-accept S} ({@code TCP_DEFER_ACCEPT} on
 * epoll-ffm and io_uring, default {@value #DEFAULT_DEFER_ACCEPT_SECONDS}; 0 turns it off), {@code --static DIR} (DIR's
 * files under {@code /files/}, through {@link io.katana.http.StaticFiles}); HTTPS with the TLS options of
 * {@link TlsOptions}.
 *
 * <p>Deferred accept is on by default because an HTTP client speaks first: the kernel queues a
 * connection for {@code accept4} only once its request has arrived, so the first read finds it and a
 * connection answered and closed at once never reaches {@code epoll_ctl} or a wait of its own
 * (connection churn: 4.0 instead of 5.2-5.8 system calls per connection, see docs/BENCHMARKS.md). A
 * client that connects and stays silent is accepted after the period, rounded up by Linux to whole
 * SYN-ACK retransmissions (about 1 s for 1).
 */
final class ServeCommand {
    /** Returned by a command that leaves server threads running; main must not exit. */
    static final int KEEP_RUNNING = -1;

    static final Set<String> OPTIONS = options();

    private static final int DEFAULT_DRAIN_SECONDS = 10;
    private static final int MAX_TIMEOUT_SECONDS = 24 * 3600;
    private static final int DEFAULT_DEFER_ACCEPT_SECONDS = 1;
    private static final Duration STATS_INTERVAL = Duration.ofSeconds(5);

    private ServeCommand() {}

    private static Set<String> options() {
        Set<String> names = new HashSet<>(ServerOptions.NAMES);
        names.addAll(Set.of("max-connections", "drain", "header-timeout", "idle-timeout", "min-body-rate", "defer-accept",
                "static"));
        names.addAll(TlsOptions.VALUED);
        return Set.copyOf(names);
    }

    static int run(CommandLine line, PrintStream out) {
        ServerOptions options = ServerOptions.from(line, 8080);
        ListenOptions listenOptions = ListenOptions.DEFAULT
                .withMaxConnections(line.getInt("max-connections", 0, 0, Integer.MAX_VALUE))
                .withDeferAcceptSeconds(line.getInt("defer-accept", DEFAULT_DEFER_ACCEPT_SECONDS, 0, MAX_TIMEOUT_SECONDS));
        Duration drain = Duration.ofSeconds(line.getInt("drain", DEFAULT_DRAIN_SECONDS, 0, MAX_TIMEOUT_SECONDS));
        HttpTimeouts timeouts = HttpTimeouts.DEFAULT
                .withHeaderRead(seconds(line, "header-timeout", HttpTimeouts.DEFAULT.headerRead()))
                .withKeepAliveIdle(seconds(line, "idle-timeout", HttpTimeouts.DEFAULT.keepAliveIdle()))
                .withMinBodyRate(line.getInt("min-body-rate", (int) HttpTimeouts.DEFAULT.minBodyRate(), 0, Integer.MAX_VALUE));
        Path staticRoot = staticRoot(line);
        TlsServer tls = TlsOptions.open(line, options.host(), out);
        String scheme = tls == null ? "http" : "https";
        ReactorProvider provider = options.provider();
        ReactorGroup group = provider.open(options.config());
        HttpServer server;
        try {
            server = ExampleApp.start(group, options.address(), listenOptions, timeouts, staticRoot, tls);
        } catch (IOException e) {
            group.close();
            throw options.cannotListen(e);
        }
        Lifecycle.stopOnSignal(out, server, group, drain);
        out.printf("katana: serving %s://%s on %s with %d reactor%s%s%n", scheme,
                options.authority(server.localAddress()), group.backend(), group.reactors().size(), group.reactors().size() == 1 ? "" : "s",
                tls == null ? "" : " (TLS engine " + tls.engineName() + ")");
        if (staticRoot != null) {
            out.printf("katana: files of %s under %s://%s/files/%n", staticRoot, scheme, options.authority(server.localAddress()));
        }
        out.flush();
        if (line.has("stats")) {
            Lifecycle.printStats(out, group, STATS_INTERVAL);
        }
        return KEEP_RUNNING;
    }

    /** The folder of {@code --static}, or null; a missing or unreadable one stops the command, saying why. */
    static Path staticRoot(CommandLine line) {
        String value = line.get("static", null);
        if (value == null) {
            return null;
        }
        Path root = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("--static " + value + ": no such folder (" + root + ")");
        }
        return root;
    }

    private static Duration seconds(CommandLine line, String name, Duration fallback) {
        return line.has(name) ? Duration.ofSeconds(line.getInt(name, 0, 1, MAX_TIMEOUT_SECONDS)) : fallback;
    }
}
