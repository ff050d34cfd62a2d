package io.katana.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JMH results ({@code -rf csv}) as one markdown table: each benchmark and parameter set with its
 * score and error, and the allocation per operation that {@code -prof gc} measured beside it.
 */
final class JmhTable {
    private static final String ALLOCATION = ":gc.alloc.rate.norm";
    private static final String PACKAGE = "io.katana.benchmarks.";
    private static final String HTTP_INTERNAL = "io.katana.http.internal.";

    private record Row(String benchmark, String params, String score, String unit, String allocation) {}

    private JmhTable() {}

    static String render(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        if (lines.size() < 2) {
            return "No JMH results were recorded.\n";
        }
        List<String> header = CsvLine.split(lines.getFirst());
        int benchmark = header.indexOf("Benchmark");
        int score = header.indexOf("Score");
        int error = header.indexOf("Score Error (99.9%)");
        int unit = header.indexOf("Unit");
        List<Integer> paramColumns = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).startsWith("Param: ")) {
                paramColumns.add(i);
            }
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        Map<String, String> allocations = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> f = CsvLine.split(line);
            String name = f.get(benchmark);
            StringBuilder params = new StringBuilder();
            for (int column : paramColumns) {
                if (column < f.size() && !f.get(column).isEmpty()) {
                    params.append(params.isEmpty() ? "" : ", ")
                            .append(header.get(column).substring("Param: ".length())).append('=').append(f.get(column));
                }
            }
            if (name.endsWith(ALLOCATION)) {
                allocations.put(name.substring(0, name.length() - ALLOCATION.length()) + "|" + params,
                        number(f.get(score), "%.1f"));
            } else if (!name.contains(":")) {
                String value = number(f.get(score), "%,.1f");
                String margin = error >= 0 && error < f.size() ? f.get(error) : "";
                if (!margin.isEmpty() && !margin.equalsIgnoreCase("NaN")) {
                    value += " ± " + number(margin, "%,.1f");
                }
                rows.put(name + "|" + params, new Row(name, params.toString(), value, f.get(unit), ""));
            }
        }
        StringBuilder out = new StringBuilder("| Benchmark | Parameters | Score (99.9 % error) | Unit | Allocated B/op |\n"
                + "|---|---|---:|---|---:|\n");
        rows.forEach((key, row) -> out.append("| ").append(row.benchmark().replace(PACKAGE, "").replace(HTTP_INTERNAL, "http."))
                .append(" | ").append(row.params().isEmpty() ? "–" : row.params())
                .append(" | ").append(row.score())
                .append(" | ").append(row.unit())
                .append(" | ").append(allocations.getOrDefault(key, "–"))
                .append(" |\n"));
        return out.toString();
    }

    private static String number(String text, String format) {
        try {
            return String.format(Locale.ROOT, format, Double.parseDouble(text));
        } catch (NumberFormatException e) {
            return text;
        }
    }
}
