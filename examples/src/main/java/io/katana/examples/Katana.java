package io.katana.examples;

import io.katana.conformance.ConformanceRunner;
import io.katana.reactor.Availability;
import io.katana.reactor.ReactorUnavailableException;
import io.katana.reactor.Reactors;
import io.katana.reactor.spi.ReactorProvider;
import io.katana.tls.TlsEngineUnavailableException;
import io.katana.tls.TlsEngines;
import io.katana.tls.spi.TlsEngineProvider;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The {@code katana} launcher: {@code serve}, {@code backends}, {@code conformance}. The {@code
 * ./katana} script runs this class from {@code katana-examples.jar} with native access enabled.
 */
public final class Katana {
    private static final String USAGE = """
            usage: katana <command> [options]

              serve        run the example HTTP server
                           --host H (127.0.0.1)  --port P (8080)  --backend NAME  --threads N (cores)
                           --stats  print the reactors' counters every 5 seconds
                           --max-connections N (0: no limit)  --drain S (10): graceful shutdown limit
                           --header-timeout S (10)  --idle-timeout S (60): HTTP timeouts, in seconds
                           --min-body-rate B (256): bytes/s a request body must average after
                           the header timeout, 0 off
                           --defer-accept S (1): accept once the request arrived (epoll-ffm, io_uring), 0 off
                           --static DIR: serve DIR's files under /files/ (ETag, ranges, zero-copy)
                           --tls-cert FILE --tls-key FILE: HTTPS with a PEM chain (leaf first) and key
                           --tls-self-signed: HTTPS with a certificate made at start, which clients
                           do not trust: for development only
                           --tls-engine NAME: the TLS engine, openssl or jdk (default: the best
                           available: openssl where libssl.so.3 loads, else jdk)
              echo         run a line echo server written on the reactor SPI (same options, port 7007)
              rest         run the notes REST service: JSON in and out, a sign-in cookie, filters,
                           JSON errors, a streamed multipart import, blocking handlers on virtual
                           threads (same options, port 8081; --journal FILE, --static DIR)
              backends     list the reactor backends and TLS engines found, their priority, and
                           whether each is available
              conformance  run the backend conformance suite; --backend NAME for one backend,
                           otherwise every available backend and every mixed pair. The warnings
                           its checks provoke on purpose are hidden; to see every log line:
                           KATANA_JAVA_OPTS=-Dorg.slf4j.simpleLogger.log.io.katana=info
              help         this text

            ./katana also runs `bench [--quick]`: the load harness and microbenchmarks (benchmarks/bench.sh),
            and `bench --tls`: the HTTPS race against nginx and Netty (benchmarks/tls-race.sh).

            The backend is chosen automatically (the best available) unless --backend, the system
            property katana.reactor or the environment variable KATANA_REACTOR names one.
            """;

    private Katana() {}

    /**
     * Runs the command {@code args} name, printing the usage on a mistake, and exits with its status;
     * {@code serve}, {@code echo} and {@code rest} keep the JVM running until it is stopped (SIGTERM
     * shuts the server down gracefully).
     *
     * @param args a command and its options, as in the usage text
     */
    public static void main(String[] args) {
        int status = run(Arrays.asList(args), System.out, System.err);
        if (status != ServeCommand.KEEP_RUNNING) {
            System.exit(status);
        }
    }

    /** Runs one command; returns its exit status, or {@link ServeCommand#KEEP_RUNNING} for a server. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.print(USAGE);
            return 2;
        }
        String command = args.getFirst();
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (command) {
                case "serve" -> ServeCommand.run(CommandLine.parse(command, rest, ServeCommand.OPTIONS,
                        Set.of("stats", "tls-self-signed")), out);
                case "echo" -> EchoCommand.run(CommandLine.parse(command, rest, ServerOptions.NAMES, Set.of()), out);
                case "rest" -> RestCommand.run(CommandLine.parse(command, rest, RestCommand.OPTIONS, Set.of()), out);
                case "backends" -> backends(CommandLine.parse(command, rest, Set.of(), Set.of()), out);
                case "conformance" -> {
                    CommandLine line = CommandLine.parse(command, rest, Set.of("backend"), Set.of());
                    hideProvokedWarnings();
                    yield ConformanceRunner.run(line.get("backend", null), out);
                }
                case "help", "--help", "-h" -> {
                    out.print(USAGE);
                    yield 0;
                }
                default -> {
                    err.println("katana: unknown command '" + command + "'");
                    err.print(USAGE);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("katana: " + e.getMessage());
            return 2;
        } catch (ReactorUnavailableException | TlsEngineUnavailableException e) {
            err.println("katana: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Several checks make a handler, a task or a timer throw on purpose, to prove the reactor
     * outlives it; the reactor logs each one at WARN with its stack trace, some 450 lines that would
     * bury the suite's own report. Unless the user chose a level for {@code io.katana}, the run shows
     * errors only. slf4j-simple reads a logger's level when the logger is made, which for the reactor
     * classes is during the run, after this.
     */
    private static void hideProvokedWarnings() {
        String level = "org.slf4j.simpleLogger.log.io.katana";
        if (System.getProperty(level) == null) {
            System.setProperty(level, "error");
        }
    }

    private static int backends(CommandLine ignored, PrintStream out) {
        List<ReactorProvider> providers = Reactors.all();
        if (providers.isEmpty()) {
            out.println("no reactor backends found on the class path");
            return 1;
        }
        out.printf("%-12s %8s  %s%n", "BACKEND", "PRIORITY", "STATUS");
        for (ReactorProvider provider : providers) {
            Availability availability = provider.availability();
            out.printf("%-12s %8d  %s%n", provider.name(), provider.priority(),
                    availability.available() ? "available" : "unavailable: " + availability.reason());
        }
        out.println();
        out.printf("%-12s %8s  %s%n", "TLS ENGINE", "PRIORITY", "STATUS");
        for (TlsEngineProvider engine : TlsEngines.all()) {
            Availability availability = engine.availability();
            out.printf("%-12s %8d  %s%n", engine.name(), engine.priority(),
                    availability.available() ? "available" : "unavailable: " + availability.reason());
        }
        return 0;
    }
}
