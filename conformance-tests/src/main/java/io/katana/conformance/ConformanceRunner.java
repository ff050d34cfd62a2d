package io.katana.conformance;

import io.katana.reactor.Reactors;
import io.katana.reactor.spi.ReactorProvider;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the conformance suite from the command line ({@code ./katana conformance [--backend NAME]})
 * through the JUnit Platform Launcher, so its counts are JUnit's.
 *
 * <p>With a backend name it runs the whole suite against that backend. Without one it runs the
 * suite against every available backend found by {@link Reactors#all()}, and then the checks with a
 * reactor on both sides ({@link ConformanceSuite#BOTH_SIDES}) for every ordered pair of two
 * different available backends. It prints one line per failed check with its reason and ends with
 * exactly the line {@code conformance: N passed, N failed, N skipped}.
 *
 * <p>Threading: {@link #run} blocks the calling thread until every check has run; do not call it
 * from a reactor thread.
 */
public final class ConformanceRunner {

    private ConformanceRunner() {}

    /**
     * Command-line entry: {@code [--backend NAME]}; exits with {@link #run}'s status (2 also for a
     * usage error).
     *
     * @param args empty, or {@code --backend NAME} (also {@code --backend=NAME})
     */
    public static void main(String[] args) {
        String backend = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--backend") && i + 1 < args.length) {
                backend = args[++i];
            } else if (arg.startsWith("--backend=")) {
                backend = arg.substring("--backend=".length());
            } else {
                System.err.println("usage: conformance [--backend NAME]   (unknown argument: " + arg + ")");
                System.exit(2);
            }
        }
        System.exit(run(backend, System.out));
    }

    /**
     * Runs the suite and reports to {@code out}.
     *
     * @param backendNameOrNull the backend to check, or null for every available one and every
     *     mixed pair of them
     * @param out where the per-run lines, the failures and the closing summary line go
     * @return 0 when no check failed; 1 when one did; 2 when there was nothing to run (the named
     *     backend is missing or unavailable, or none is available)
     */
    public static int run(String backendNameOrNull, PrintStream out) {
        return run(backendNameOrNull, Reactors.all(), out);
    }

    static int run(String backendNameOrNull, List<ReactorProvider> providers, PrintStream out) {
        CheckTally tally = new CheckTally(out);
        List<BackendPair> runs = plan(backendNameOrNull, providers, out);
        if (runs.isEmpty()) {
            out.println(tally.summary());
            return 2;
        }
        try (LauncherSession session = LauncherFactory.openSession()) {
            Launcher launcher = session.getLauncher();
            for (BackendPair run : runs) {
                out.println("conformance: running " + (run.mixed() ? "the both-sides checks for " : "the suite for ")
                        + run);
                tally.label(run.toString());
                launcher.execute(request(run), tally);
            }
        }
        out.println(tally.summary());
        return tally.failed() == 0 ? 0 : 1;
    }

    /** The runs to make; empty, after saying why on {@code out}, when there is nothing to run. */
    private static List<BackendPair> plan(String name, List<ReactorProvider> providers, PrintStream out) {
        if (name != null) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            for (ReactorProvider provider : providers) {
                if (provider.name().equals(wanted)) {
                    if (!provider.isAvailable()) {
                        out.println("conformance: backend '" + wanted + "' is unavailable here: "
                                + provider.availability().reason());
                        return List.of();
                    }
                    return List.of(BackendPair.of(provider));
                }
            }
            out.println("conformance: no backend named '" + wanted + "'; found: " + names(providers));
            return List.of();
        }
        List<ReactorProvider> available = new ArrayList<>();
        for (ReactorProvider provider : providers) {
            if (provider.isAvailable()) {
                available.add(provider);
            } else {
                out.println("conformance: skipping " + provider.name() + ", unavailable here: "
                        + provider.availability().reason());
            }
        }
        if (available.isEmpty()) {
            out.println("conformance: no available backend; found: " + names(providers));
        }
        return BackendPair.every(available);
    }

    private static LauncherDiscoveryRequest request(BackendPair run) {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(ConfiguredConformanceSuite.class))
                .configurationParameter(ConfiguredConformanceSuite.SERVER, run.server().name())
                .configurationParameter(ConfiguredConformanceSuite.CLIENT, run.client().name());
        if (run.mixed()) {
            request.filters(TagFilter.includeTags(ConformanceSuite.BOTH_SIDES));
        }
        return request.build();
    }

    private static String names(List<ReactorProvider> providers) {
        return providers.isEmpty()
                ? "none (add a backend jar such as katana-backend-nio to the class path)"
                : providers.stream().map(ReactorProvider::name).collect(Collectors.joining(", "));
    }
}
