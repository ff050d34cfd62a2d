package io.katana.benchmarks.load;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The markdown tables of one load run, in the seed profile's shape: throughput and server CPU per
 * scenario and server with ratios to Netty epoll and to nginx, the concurrency sweep with its errors,
 * and latency at 8 connections.
 */
final class LoadTables {
    /** Keep-alive connection counts that belong to the main table; the others only to the sweep. */
    private static final Set<Integer> MAIN_KEEPALIVE = Set.of(8, 64, 256, 1024);
    /** Connection counts of the concurrency sweep. */
    private static final List<Integer> SWEEP = List.of(32, 64, 128, 256, 1024, 10_000);
    private static final int LATENCY_CONNECTIONS = 8;

    private final LoadResults results;

    LoadTables(LoadResults results) {
        this.results = results;
    }

    /** Scenarios of the main table (and the chart), in order. */
    List<String> mainScenarios() {
        return results.scenarios().stream()
                .filter(s -> !Scenarios.kind(s).equals(Scenarios.KEEPALIVE)
                        || MAIN_KEEPALIVE.contains(Scenarios.connections(s)))
                .toList();
    }

    String render() {
        StringBuilder out = new StringBuilder();
        throughput(out);
        sweep(out);
        latency(out);
        skipped(out);
        return out.toString();
    }

    private void throughput(StringBuilder out) {
        out.append("| Scenario | Server | server CPU µs/req (spread) | × Netty epoll | × nginx | of which user µs "
                + "| user × nginx | req/s (spread) | × Netty epoll | × nginx | errors | notes |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (String scenario : mainScenarios()) {
            for (String server : results.servers()) {
                Optional<Figures> found = results.figures(scenario, server);
                if (found.isEmpty()) {
                    continue;
                }
                Figures f = found.get();
                out.append("| ").append(Scenarios.describe(scenario))
                        .append(" | ").append(ServerNames.label(server))
                        .append(" | ").append(withSpread(f.cpuMicrosPerRequest(), "%.2f"))
                        .append(" | ").append(ratio(scenario, server, f, Figures::cpuMicrosPerRequest, ServerNames.NETTY_EPOLL))
                        .append(" | ").append(ratio(scenario, server, f, Figures::cpuMicrosPerRequest, ServerNames.NGINX))
                        .append(" | ").append(f.userMicrosPerRequest().present()
                                ? String.format(Locale.ROOT, "%.2f", f.userMicrosPerRequest().median()) : "–")
                        .append(" | ").append(ratio(scenario, server, f, Figures::userMicrosPerRequest, ServerNames.NGINX))
                        .append(" | ").append(withSpread(f.requestsPerSecond(), "%,.0f"))
                        .append(" | ").append(ratio(scenario, server, f, Figures::requestsPerSecond, ServerNames.NETTY_EPOLL))
                        .append(" | ").append(ratio(scenario, server, f, Figures::requestsPerSecond, ServerNames.NGINX))
                        .append(" | ").append(f.errors())
                        .append(" | ").append(notes(f))
                        .append(" |\n");
            }
        }
        out.append("\nCPU first: it is what a request costs. User µs is the server's own code; the rest is the "
                + "kernel's, mostly loopback TCP, about the same for every server. req/s: for churn, connections per "
                + "second (one request each). × columns: this server's median "
                + "over the peer's; above 1 is better for req/s, below 1 is better for CPU. Spread: (max − min) / "
                + "median of the runs; ⚠ marks a spread above 10 %.\n\n");
    }

    private void sweep(StringBuilder out) {
        List<Integer> measured = SWEEP.stream()
                .filter(c -> results.scenarios().contains(Scenarios.KEEPALIVE + "-c" + c))
                .toList();
        if (measured.isEmpty()) {
            return;
        }
        out.append("**Concurrency sweep** (keep-alive, `wrk -t1`): req/s median (spread) / errors over all runs\n\n");
        out.append("| Connections |");
        results.servers().forEach(s -> out.append(' ').append(ServerNames.label(s)).append(" |"));
        out.append("\n|---:|");
        results.servers().forEach(s -> out.append("---:|"));
        out.append('\n');
        for (int connections : measured) {
            String scenario = Scenarios.KEEPALIVE + "-c" + connections;
            out.append("| ").append(String.format(Locale.ROOT, "%,d", connections)).append(" |");
            for (String server : results.servers()) {
                out.append(' ').append(results.figures(scenario, server)
                        .map(f -> withSpread(f.requestsPerSecond(), "%,.0f") + " / " + errors(f))
                        .orElse("–")).append(" |");
            }
            out.append('\n');
        }
        out.append('\n');
    }

    private void latency(StringBuilder out) {
        String scenario = Scenarios.KEEPALIVE + "-c" + LATENCY_CONNECTIONS;
        if (!results.scenarios().contains(scenario)) {
            return;
        }
        out.append("**Latency** at ").append(LATENCY_CONNECTIONS)
                .append(" keep-alive connections (wrk, µs; median of runs, spread)\n\n");
        out.append("| Server | p50 | p99 | p99.9 |\n|---|---:|---:|---:|\n");
        for (String server : results.servers()) {
            results.figures(scenario, server).ifPresent(f -> out.append("| ").append(ServerNames.label(server))
                    .append(" | ").append(withSpread(f.p50Micros(), "%,.0f"))
                    .append(" | ").append(withSpread(f.p99Micros(), "%,.0f"))
                    .append(" | ").append(withSpread(f.p999Micros(), "%,.0f"))
                    .append(" |\n"));
        }
        out.append('\n');
    }

    private void skipped(StringBuilder out) {
        for (Map.Entry<String, String> entry : results.skipped().entrySet()) {
            out.append("- ").append(ServerNames.label(entry.getKey())).append(": **skipped**, ")
                    .append(entry.getValue().replace("|", "/")).append('\n');
        }
        if (!results.skipped().isEmpty()) {
            out.append('\n');
        }
    }

    private String ratio(String scenario, String server, Figures figures, Function<Figures, Spread> metric, String peer) {
        Spread mine = metric.apply(figures);
        return results.figures(scenario, peer)
                .map(metric)
                .filter(theirs -> theirs.present() && theirs.median() > 0 && mine.present())
                .map(theirs -> String.format(Locale.ROOT, "%.2f×", mine.median() / theirs.median()))
                .orElse("–");
    }

    private static String notes(Figures f) {
        StringBuilder notes = new StringBuilder();
        if (f.failedRuns() > 0) {
            notes.append(f.failedRuns()).append(" run(s) without a result; ");
        }
        if (f.requestsPerSecond().flagged()) {
            notes.append("⚠ req/s spread; ");
        }
        if (f.cpuMicrosPerRequest().flagged()) {
            notes.append("⚠ CPU spread; ");
        }
        if (f.errors() > 0) {
            notes.append("errors; ");
        }
        return notes.isEmpty() ? "" : notes.substring(0, notes.length() - 2);
    }

    private static String errors(Figures f) {
        return f.failedRuns() > 0 ? f.errors() + " (+" + f.failedRuns() + " failed runs)" : Long.toString(f.errors());
    }

    static String withSpread(Spread spread, String format) {
        if (!spread.present()) {
            return "–";
        }
        String value = String.format(Locale.ROOT, format, spread.median());
        if (spread.runs() < 2) {
            return value;
        }
        return value + String.format(Locale.ROOT, " (%.1f %%)", spread.spread() * 100) + (spread.flagged() ? " ⚠" : "");
    }
}
