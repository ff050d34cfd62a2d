package io.katana.examples;

import io.katana.reactor.ReactorConfig;
import io.katana.reactor.Reactors;
import io.katana.reactor.spi.ReactorProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Set;

/**
 * The options every server command shares: {@code --host}, {@code --port}, {@code --backend},
 * {@code --threads}.
 */
record ServerOptions(String host, int port, String backend, int threads) {

    static final Set<String> NAMES = Set.of("host", "port", "backend", "threads");

    static ServerOptions from(CommandLine line, int defaultPort) {
        return new ServerOptions(
                line.get("host", "127.0.0.1"),
                line.getInt("port", defaultPort, 0, 65535),
                line.get("backend", null),
                line.getInt("threads", Runtime.getRuntime().availableProcessors(), 1, 1024));
    }

    /** The named backend, or the best available one (which honours -Dkatana.reactor and KATANA_REACTOR). */
    ReactorProvider provider() {
        return backend == null ? Reactors.best() : Reactors.named(backend);
    }

    ReactorConfig config() {
        return ReactorConfig.defaults().withThreads(threads);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    /**
     * {@return {@code host:port} of a listener for the line that says where the server is} The host as
     * given ({@code ::1}, not {@code 0:0:0:0:0:0:0:1}; IPv6 in brackets), the port as bound, which
     * differs from the one asked for with {@code --port 0}.
     */
    String authority(InetSocketAddress bound) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + bound.getPort();
    }

    /** {@return a failure to listen, with what to change when the cause says which option was wrong} */
    IllegalArgumentException cannotListen(IOException failure) {
        String message = String.valueOf(failure.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        String advice;
        if (lower.contains("eaddrinuse") || lower.contains("already in use")) {
            advice = "; pick another port with --port";
        } else if (lower.contains("eaddrnotavail") || lower.contains("cannot assign requested address")) {
            advice = "; pick an address of this host with --host";
        } else if (lower.contains("eacces") || lower.contains("permission denied")) {
            advice = "; ports below 1024 need privileges: pick another with --port";
        } else {
            advice = "";
        }
        return new IllegalArgumentException(message + advice, failure);
    }
}
