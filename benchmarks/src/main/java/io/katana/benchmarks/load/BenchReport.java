package io.katana.benchmarks.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * Turns one run of {@code benchmarks/bench.sh} into its report: reads the run's folder ({@code
 * results.tsv}, {@code skipped.tsv}, {@code meta.properties}, {@code commands.txt}, {@code jmh.csv}),
 * writes {@code report.md} and the chart there, prints the report, and with {@code --doc} replaces the
 * harness's sections of {@code docs/BENCHMARKS.md} and puts the chart beside it.
 *
 * <pre>
 * java -cp katana-benchmarks.jar io.katana.benchmarks.load.BenchReport --dir RUN_DIR [--doc docs/BENCHMARKS.md] [--root REPO]
 * </pre>
 */
public final class BenchReport {
    /** How {@code bench.sh} writes the JMH command line in {@code commands.txt}. */
    private static final String JMH_COMMAND = "java -jar";
    private static final String USAGE = "usage: BenchReport --dir RUN_DIR [--doc BENCHMARKS.md] [--root REPO]";

    private BenchReport() {}

    public static void main(String[] args) throws IOException {
        Path dir = null;
        Path doc = null;
        Path root = Path.of(".");
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length) {
                usage(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--doc" -> doc = Path.of(args[++i]);
                case "--root" -> root = Path.of(args[++i]);
                default -> usage("unknown option " + args[i]);
            }
        }
        if (dir == null || !Files.isDirectory(dir)) {
            usage("--dir must name the folder of a bench.sh run");
        }
        Properties meta = new Properties();
        Path metaFile = dir.resolve("meta.properties");
        if (Files.exists(metaFile)) {
            try (InputStream in = Files.newInputStream(metaFile)) {
                meta.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        }
        String mode = meta.getProperty("mode", "full");
        StringBuilder report = new StringBuilder();

        LoadResults load = LoadResults.read(dir.resolve("results.tsv"), dir.resolve("skipped.tsv"));
        if (!load.isEmpty()) {
            LoadTables tables = new LoadTables(load);
            LoadChart chart = new LoadChart(load, tables.mainScenarios());
            String chartName = "benchmarks-load-" + mode + ".svg";
            String svg = chart.render("Katana load run (" + mode + "), " + meta.getProperty("date", "")
                    + ": each server relative to " + ServerNames.label(chart.referenceServer()));
            Files.writeString(dir.resolve(chartName), svg);
            String section = machine(meta, true) + "\n" + tables.render()
                    + new TargetCheck(load, tables.mainScenarios()).render()
                    + "![" + mode + " load run: ratios to " + ServerNames.label(chart.referenceServer()) + "](" + chartName + ")\n\n"
                    + commands(dir.resolve("commands.txt"), root, line -> !line.startsWith(JMH_COMMAND));
            report.append("## Load, ").append(mode).append(" run\n\n").append(section).append('\n');
            if (doc != null) {
                Files.createDirectories(doc.toAbsolutePath().getParent());
                Files.writeString(doc.toAbsolutePath().getParent().resolve(chartName), svg);
                DocSections.replace(doc, "load-" + mode, "Load, " + mode + " run", section);
            }
        }
        Path jmh = dir.resolve("jmh.csv");
        if (Files.exists(jmh)) {
            String section = machine(meta, false) + "\n" + JmhTable.render(jmh) + failures(dir.resolve("jmh-failures.txt"))
                    + "\nScores are per operation (per timer, per task, per round trip, per request); the error is "
                    + "JMH's 99.9 % confidence half-width over the measured iterations. Allocation is measured over "
                    + "all threads of the fork, reactor threads included, and over whole iterations: for "
                    + "`TimerWheelBenchmark.cancel` it includes the scheduling done in its per-invocation setup.\n\n"
                    + commands(dir.resolve("commands.txt"), root, line -> line.startsWith(JMH_COMMAND));
            report.append("## Microbenchmarks (JMH)\n\n").append(section).append('\n');
            if (doc != null) {
                DocSections.replace(doc, "jmh", "Microbenchmarks (JMH), latest full run", section);
            }
        }
        if (report.isEmpty()) {
            report.append("No results were recorded in ").append(dir).append('\n');
        }
        Files.writeString(dir.resolve("report.md"), report.toString());
        System.out.print(report);
    }

    private static String failures(Path file) throws IOException {
        if (!Files.exists(file) || Files.readString(file).isBlank()) {
            return "";
        }
        StringBuilder out = new StringBuilder("\nFailed (no score):\n\n");
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.append("- ").append(line.replace("io.katana.benchmarks.", "")).append('\n');
            }
        }
        return out.toString();
    }

    private static String machine(Properties meta, boolean load) {
        StringBuilder out = new StringBuilder();
        out.append("Measured ").append(meta.getProperty("date", "(date unknown)"))
                .append(" on ").append(meta.getProperty("nproc", "?")).append(" cores (")
                .append(meta.getProperty("cpu", "unknown CPU")).append("), ")
                .append(meta.getProperty("kernel", "unknown kernel")).append(", ")
                .append(meta.getProperty("jdk", "unknown JDK")).append("; commit ")
                .append(meta.getProperty("commit", "unknown")).append(".\n");
        if (load && meta.containsKey("wrk")) {
            out.append("Peers and tools: Netty ").append(meta.getProperty("netty")).append(", nginx ")
                    .append(meta.getProperty("nginx")).append(", ").append(meta.getProperty("wrk")).append(", ")
                    .append(meta.getProperty("ab")).append(". ");
        }
        if (load) {
            out.append(meta.getProperty("runs", "?")).append(" runs per figure, ")
                    .append(meta.getProperty("seconds_per_run", "?")).append(" s per wrk run; ");
        }
        out.append("whole run ").append(meta.getProperty("elapsed_seconds", "?")).append(" s. ")
                .append("The machine is shared with other agents building and testing (load average ")
                .append(meta.getProperty("load_before", "?")).append(" before, ")
                .append(meta.getProperty("load_after", "?")).append(" after)")
                .append(load ? ": read ratios and CPU per request rather than absolute req/s.\n"
                        : ": absolute scores move with it.\n");
        return out.toString();
    }

    private static String commands(Path file, Path root, Predicate<String> wanted) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        StringBuilder out = new StringBuilder("Commands:\n\n```\n");
        for (String line : Files.readAllLines(file)) {
            if (wanted.test(line)) {
                out.append(line.replace(root.toAbsolutePath().normalize() + "/", "")).append('\n');
            }
        }
        return out.append("```\n").toString();
    }

    private static void usage(String problem) {
        System.err.println("BenchReport: " + problem);
        System.err.println(USAGE);
        System.exit(2);
    }
}
