package io.katana.benchmarks.load;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * An SVG chart of the main table: two panels, throughput and server CPU per request, each server's
 * median divided by the reference server's (Netty epoll when it ran) in every scenario, as grouped
 * bars with their values written on them.
 */
final class LoadChart {
    private static final String[] COLOURS =
            {"#d62728", "#ff7f0e", "#ff9896", "#1f77b4", "#17becf", "#aec7e8", "#2ca02c", "#7f7f7f"};
    private static final int WIDTH = 960;
    private static final int PANEL_HEIGHT = 280;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 60;
    private static final int GAP = 70;

    private final LoadResults results;
    private final List<String> scenarios;
    private final String reference;

    LoadChart(LoadResults results, List<String> scenarios) {
        this.results = results;
        this.scenarios = scenarios;
        this.reference = List.of(ServerNames.NETTY_EPOLL, ServerNames.NGINX).stream()
                .filter(results.servers()::contains)
                .findFirst()
                .orElse(results.servers().isEmpty() ? "" : results.servers().getFirst());
    }

    String referenceServer() {
        return reference;
    }

    String render(String title) {
        int height = TOP + 2 * PANEL_HEIGHT + GAP + 40;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, height, WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                LEFT, escape(title)));
        legend(svg);
        panel(svg, TOP, "Throughput relative to " + ServerNames.label(reference) + " (higher is better)", Figures::requestsPerSecond);
        panel(svg, TOP + PANEL_HEIGHT + GAP, "Server CPU per request relative to " + ServerNames.label(reference)
                + " (lower is better)", Figures::cpuMicrosPerRequest);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void legend(StringBuilder svg) {
        int x = LEFT;
        List<String> servers = results.servers();
        for (int i = 0; i < servers.size(); i++) {
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"32\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                            + "<text x=\"%d\" y=\"42\">%s</text>%n",
                    x, colour(ServerNames.rank(servers.get(i))), x + 16, escape(ServerNames.label(servers.get(i)))));
            x += 150;
        }
    }

    private void panel(StringBuilder svg, int top, String title, Function<Figures, Spread> metric) {
        List<String> servers = results.servers();
        double max = 1.0;
        for (String scenario : scenarios) {
            for (String server : servers) {
                max = Math.max(max, ratio(scenario, server, metric).orElse(0.0));
            }
        }
        double axisMax = Math.ceil(max * 1.1 * 2) / 2; // a multiple of 0.5 with headroom for the labels
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = PANEL_HEIGHT - 40;
        int bottom = top + 20 + plotHeight;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" font-weight=\"bold\">%s</text>%n",
                LEFT, top + 10, escape(title)));
        for (double tick = 0; tick <= axisMax + 1e-9; tick += 0.5) {
            int y = bottom - (int) Math.round(tick / axisMax * plotHeight);
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"%s/>"
                            + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.1f</text>%n",
                    LEFT, y, LEFT + plotWidth, y, Math.abs(tick - 1) < 1e-9 ? "#333" : "#ddd",
                    Math.abs(tick - 1) < 1e-9 ? " stroke-dasharray=\"4 3\"" : "", LEFT - 6, y + 4, tick));
        }
        if (scenarios.isEmpty() || servers.isEmpty()) {
            return;
        }
        double groupWidth = (double) plotWidth / scenarios.size();
        double barWidth = Math.min(28, groupWidth * 0.8 / servers.size());
        for (int g = 0; g < scenarios.size(); g++) {
            String scenario = scenarios.get(g);
            double groupStart = LEFT + g * groupWidth + (groupWidth - barWidth * servers.size()) / 2;
            for (int s = 0; s < servers.size(); s++) {
                Optional<Double> value = ratio(scenario, servers.get(s), metric);
                if (value.isEmpty()) {
                    continue;
                }
                double x = groupStart + s * barWidth;
                double h = value.get() / axisMax * plotHeight;
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>"
                                + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" text-anchor=\"middle\">%.2f</text>%n",
                        x, bottom - h, barWidth - 2, h, colour(ServerNames.rank(servers.get(s))), x + (barWidth - 2) / 2, bottom - h - 3, value.get()));
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    LEFT + g * groupWidth + groupWidth / 2, bottom + 16, escape(Scenarios.shortLabel(scenario))));
        }
    }

    private Optional<Double> ratio(String scenario, String server, Function<Figures, Spread> metric) {
        Optional<Spread> mine = results.figures(scenario, server).map(metric).filter(Spread::present);
        Optional<Spread> theirs = results.figures(scenario, reference).map(metric)
                .filter(s -> s.present() && s.median() > 0);
        if (mine.isEmpty() || theirs.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(mine.get().median() / theirs.get().median());
    }

    private static String colour(int index) {
        return COLOURS[index % COLOURS.length];
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
