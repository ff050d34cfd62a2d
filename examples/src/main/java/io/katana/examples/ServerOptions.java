package io.katana.examples;

import io.katana.reactor.ReactorConfig;
import io.katana.reactor.Reactors;
import io.katana.reactor.spi.ReactorProvider;
import java.net.InetSocketAddress;
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
}
