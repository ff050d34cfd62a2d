package io.katana.examples;

import io.katana.reactor.Listener;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.spi.ReactorProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code katana serve}: the example application on the chosen backend until Ctrl-C or SIGTERM,
 * which shut it down gracefully. {@code --stats} prints the counters every few seconds.
 */
final class ServeCommand {
    /** Returned by a command that leaves server threads running; main must not exit. */
    static final int KEEP_RUNNING = -1;

    private static final Duration DRAIN = Duration.ofSeconds(10);
    private static final Duration STATS_INTERVAL = Duration.ofSeconds(5);

    private ServeCommand() {}

    static int run(CommandLine line, PrintStream out) {
        ServerOptions options = ServerOptions.from(line, 8080);
        ReactorProvider provider = options.provider();
        ReactorGroup group = provider.open(options.config());
        Listener listener;
        try {
            listener = ExampleApp.start(group, options.address());
        } catch (IOException e) {
            group.close();
            throw new IllegalArgumentException(e.getMessage()
                    + (options.port() != 0 ? "; pick another port with --port" : ""), e);
        }
        Lifecycle.stopOnSignal(out, listener, group, DRAIN);
        out.printf("katana: serving http://%s:%d on %s with %d reactor%s%n",
                hostForUrl(listener.localAddress().getAddress().getHostAddress()), listener.localAddress().getPort(),
                group.backend(), group.reactors().size(), group.reactors().size() == 1 ? "" : "s");
        out.flush();
        if (line.has("stats")) {
            Lifecycle.printStats(out, group, STATS_INTERVAL);
        }
        return KEEP_RUNNING;
    }

    private static String hostForUrl(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }
}
