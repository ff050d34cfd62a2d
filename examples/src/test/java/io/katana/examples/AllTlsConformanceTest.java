package io.katana.examples;

import io.katana.conformance.BackendPair;
import io.katana.conformance.TlsConformanceSuite;
import io.katana.reactor.spi.ReactorProvider;
import io.katana.tls.TlsEngines;
import io.katana.tls.spi.TlsEngineProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TLS suite for every TLS engine on every backend found here, then mixed runs: each pair of
 * backends with each engine, and each ordered pair of two available engines (our client on one, our
 * server on the other), where only the checks with our TLS on both sides run.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("runs")
class AllTlsConformanceTest extends TlsConformanceSuite {

    private final Run run;

    AllTlsConformanceTest(Run run) {
        this.run = run;
    }

    /** One run: which engine and backend serve, which connect. */
    record Run(TlsEngineProvider serverEngine, TlsEngineProvider clientEngine, BackendPair backends) {
        @Override
        public String toString() {
            String engines = serverEngine.name().equals(clientEngine.name()) ? serverEngine.name()
                    : serverEngine.name() + " server x " + clientEngine.name() + " client";
            return engines + " on " + backends;
        }
    }

    static List<Run> runs() {
        List<Run> runs = new ArrayList<>();
        List<TlsEngineProvider> engines = TlsEngines.all();
        for (BackendPair backends : BackendPair.discover()) {
            for (TlsEngineProvider engine : engines) {
                runs.add(new Run(engine, engine, backends));
            }
        }
        ReactorProvider best = BackendPair.discover().getFirst().server();
        for (TlsEngineProvider server : engines) {
            for (TlsEngineProvider client : engines) {
                if (server != client && server.isAvailable() && client.isAvailable()) {
                    runs.add(new Run(server, client, BackendPair.of(best)));
                }
            }
        }
        return runs;
    }

    @Override
    protected TlsEngineProvider serverEngine() {
        return run.serverEngine();
    }

    @Override
    protected TlsEngineProvider clientEngine() {
        return run.clientEngine();
    }

    @Override
    protected ReactorProvider serverBackend() {
        return run.backends().server();
    }

    @Override
    protected ReactorProvider clientBackend() {
        return run.backends().client();
    }
}
