package io.katana.http;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.spi.ReactorProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;

/** Starts servers on each backend that {@link ServiceLoader} finds, for parameterised tests. */
final class ProviderServers {

    private ProviderServers() {}

    /** Every provider on the test class path, available or not (unavailable ones are skipped, saying why). */
    static List<ReactorProvider> providers() {
        return ServiceLoader.load(ReactorProvider.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    /** A running server on 127.0.0.1 and an ephemeral port, on its own two-reactor group of {@code provider}. */
    static Running start(ReactorProvider provider, UnaryOperator<HttpServer.Builder> routes) throws IOException {
        assumeTrue(provider.isAvailable(), () -> provider.name() + " is not available here: " + provider.availability().reason());
        ReactorGroup group = provider.open(ReactorConfig.defaults().withThreads(2).withThreadNamePrefix(provider.name() + "-test-"));
        try {
            HttpServer server = routes.apply(HttpServer.builder().group(group).address(new InetSocketAddress("127.0.0.1", 0))).start();
            return new Running(group, server);
        } catch (IOException | RuntimeException e) {
            group.close();
            throw e;
        }
    }

    /** A started server and its group; closing stops both. */
    record Running(ReactorGroup group, HttpServer server) implements AutoCloseable {

        int port() {
            return server.port();
        }

        RawHttpClient client() throws IOException {
            return new RawHttpClient(port());
        }

        @Override
        public void close() {
            server.close();
            group.close();
        }
    }
}
