package io.katana.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The performance targets of the benchmark issue, checked against one load run's medians: each
 * target met or missed, and by how much. It reports; it asserts nothing.
 */
final class TargetCheck {
    private static final String CHURN_CPU_SCENARIO = Scenarios.CHURN + "-c8";
    private static final String PIPELINED_SCENARIO = Scenarios.PIPELINED + "-c256";
    private static final String TEN_THOUSAND = Scenarios.KEEPALIVE + "-c10000";

    private final LoadResults results;
    private final List<String> scenarios;

    TargetCheck(LoadResults results, List<String> scenarios) {
        this.results = results;
        this.scenarios = scenarios;
    }

    String render() {
        List<String> lines = new ArrayList<>();
        atLeast(lines, ServerNames.KATANA_EPOLL, ServerNames.NETTY_EPOLL, Figures::requestsPerSecond, 1.0, "req/s");
        atMost(lines, ServerNames.KATANA_EPOLL, ServerNames.NETTY_EPOLL, Figures::cpuMicrosPerRequest, 1.0, "CPU/request");
        atLeast(lines, ServerNames.KATANA_NIO, ServerNames.NETTY_NIO, Figures::requestsPerSecond, 1.0, "req/s");
        atMost(lines, ServerNames.KATANA_NIO, ServerNames.NETTY_NIO, Figures::cpuMicrosPerRequest, 1.0, "CPU/request");
        single(lines, PIPELINED_SCENARIO, ServerNames.KATANA_EPOLL, ServerNames.NETTY_EPOLL, Figures::requestsPerSecond,
                1.1, true, "pipelined req/s at least 1.1× Netty epoll");
        single(lines, CHURN_CPU_SCENARIO, ServerNames.KATANA_EPOLL, ServerNames.NETTY_EPOLL, Figures::cpuMicrosPerRequest,
                2.0 / 3, false, "churn CPU per connection at most 2/3 of Netty epoll's");
        single(lines, CHURN_CPU_SCENARIO, ServerNames.KATANA_EPOLL, ServerNames.NGINX, Figures::cpuMicrosPerRequest,
                1.25, false, "churn CPU per connection within 1.25× nginx's");
        for (String backend : List.of(ServerNames.KATANA_EPOLL, ServerNames.KATANA_NIO)) {
            results.figures(TEN_THOUSAND, backend).ifPresent(f -> lines.add(String.format(Locale.ROOT,
                    "- %s: 10,000 concurrent connections with 0 errors: **%s** (%d errors, %d runs without a result)",
                    ServerNames.label(backend), f.errors() == 0 && f.failedRuns() == 0 ? "met" : "missed",
                    f.errors(), f.failedRuns())));
        }
        if (lines.isEmpty()) {
            return "";
        }
        return "**Against the targets** (medians of this run; noisy where flagged above; without pipelining `wrk -t1` "
                + "and `ab` saturate their core before a fast server does, so req/s there says less than CPU/request)\n\n"
                + String.join("\n", lines) + "\n\n";
    }

    private void atLeast(List<String> lines, String server, String peer, Function<Figures, Spread> metric,
            double bound, String what) {
        every(lines, server, peer, metric, bound, true, what);
    }

    private void atMost(List<String> lines, String server, String peer, Function<Figures, Spread> metric,
            double bound, String what) {
        every(lines, server, peer, metric, bound, false, what);
    }

    /** One line for a metric across all main scenarios: met if every ratio is on the right side. */
    private void every(List<String> lines, String server, String peer, Function<Figures, Spread> metric,
            double bound, boolean higherIsBetter, String what) {
        List<String> missed = new ArrayList<>();
        int compared = 0;
        for (String scenario : scenarios) {
            Optional<Double> ratio = ratio(scenario, server, peer, metric);
            if (ratio.isEmpty()) {
                continue;
            }
            compared++;
            if (higherIsBetter ? ratio.get() < bound : ratio.get() > bound) {
                missed.add(String.format(Locale.ROOT, "%s %.2f×", Scenarios.describe(scenario), ratio.get()));
            }
        }
        if (compared == 0) {
            return;
        }
        lines.add(String.format(Locale.ROOT, "- %s %s %s %s's in every scenario: **%s**%s",
                ServerNames.label(server), what, higherIsBetter ? "at or above" : "at or below", ServerNames.label(peer),
                missed.isEmpty() ? "met" : "missed", missed.isEmpty() ? "" : " (" + String.join("; ", missed) + ")"));
    }

    private void single(List<String> lines, String scenario, String server, String peer,
            Function<Figures, Spread> metric, double bound, boolean higherIsBetter, String what) {
        ratio(scenario, server, peer, metric).ifPresent(ratio -> lines.add(String.format(Locale.ROOT,
                "- %s %s: **%s** (%.2f×)", ServerNames.label(server), what,
                (higherIsBetter ? ratio >= bound : ratio <= bound) ? "met" : "missed", ratio)));
    }

    private Optional<Double> ratio(String scenario, String server, String peer, Function<Figures, Spread> metric) {
        Optional<Spread> mine = results.figures(scenario, server).map(metric).filter(Spread::present);
        Optional<Spread> theirs = results.figures(scenario, peer).map(metric).filter(s -> s.present() && s.median() > 0);
        return mine.isPresent() && theirs.isPresent()
                ? Optional.of(mine.get().median() / theirs.get().median())
                : Optional.empty();
    }
}
