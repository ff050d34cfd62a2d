package io.katana.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every figure of one harness run, by scenario and server, and the servers that were skipped with
 * their reasons.
 */
final class LoadResults {
    private final Map<String, Map<String, Figures>> byScenario;
    private final List<String> servers;
    private final Map<String, String> skipped;

    private LoadResults(Map<String, Map<String, Figures>> byScenario, List<String> servers, Map<String, String> skipped) {
        this.byScenario = byScenario;
        this.servers = servers;
        this.skipped = skipped;
    }

    /** Reads {@code results.tsv} and {@code skipped.tsv} (either may be missing or empty). */
    static LoadResults read(Path results, Path skippedFile) throws IOException {
        List<Sample> samples = new ArrayList<>();
        if (Files.exists(results)) {
            for (String line : Files.readAllLines(results)) {
                if (!line.isBlank()) {
                    samples.add(Sample.parse(line));
                }
            }
        }
        Map<String, String> skipped = new LinkedHashMap<>();
        if (Files.exists(skippedFile)) {
            for (String line : Files.readAllLines(skippedFile)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    skipped.putIfAbsent(line.substring(0, tab), line.substring(tab + 1));
                }
            }
        }
        Map<String, Map<String, Figures>> byScenario = new TreeMap<>(Scenarios.ORDER);
        samples.stream()
                .collect(Collectors.groupingBy(Sample::scenario, Collectors.groupingBy(Sample::server)))
                .forEach((scenario, byServer) -> {
                    Map<String, Figures> figures = new LinkedHashMap<>();
                    byServer.keySet().stream().sorted(serverOrder())
                            .forEach(server -> figures.put(server, Figures.of(byServer.get(server))));
                    byScenario.put(scenario, figures);
                });
        List<String> servers = samples.stream().map(Sample::server).distinct().sorted(serverOrder()).toList();
        return new LoadResults(byScenario, servers, skipped);
    }

    private static Comparator<String> serverOrder() {
        return Comparator.comparingInt(ServerNames::rank).thenComparing(Comparator.naturalOrder());
    }

    boolean isEmpty() {
        return byScenario.isEmpty();
    }

    /** Scenarios measured, in report order. */
    List<String> scenarios() {
        return List.copyOf(byScenario.keySet());
    }

    /** Servers measured, in report order. */
    List<String> servers() {
        return servers;
    }

    Map<String, String> skipped() {
        return skipped;
    }

    Optional<Figures> figures(String scenario, String server) {
        return Optional.ofNullable(byScenario.getOrDefault(scenario, Map.of()).get(server));
    }
}
