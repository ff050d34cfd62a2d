package io.katana.benchmarks.load;

import java.util.Comparator;

/**
 * Scenario identifiers as {@code bench.sh} writes them ({@code keepalive-c8}, {@code pipelined-c256},
 * {@code churn-c8}) and how the report orders and describes them.
 */
final class Scenarios {
    static final String KEEPALIVE = "keepalive";
    static final String PIPELINED = "pipelined";
    static final String CHURN = "churn";

    /** Keep-alive, then pipelined, then churn; within a kind by connections. */
    static final Comparator<String> ORDER = Comparator.comparingInt(Scenarios::kindRank)
            .thenComparingInt(Scenarios::connections)
            .thenComparing(Comparator.naturalOrder());

    private Scenarios() {}

    static String kind(String scenario) {
        int dash = scenario.lastIndexOf("-c");
        return dash < 0 ? scenario : scenario.substring(0, dash);
    }

    static int connections(String scenario) {
        int dash = scenario.lastIndexOf("-c");
        try {
            return dash < 0 ? 0 : Integer.parseInt(scenario.substring(dash + 2));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String describe(String scenario) {
        int c = connections(scenario);
        return switch (kind(scenario)) {
            case KEEPALIVE -> "keep-alive, " + c + " conn";
            case PIPELINED -> "pipelined ×16, " + c + " conn";
            case CHURN -> "churn (1 req/conn), " + c + " conc";
            default -> scenario;
        };
    }

    /** A short label for the chart's axis. */
    static String shortLabel(String scenario) {
        int c = connections(scenario);
        return switch (kind(scenario)) {
            case KEEPALIVE -> "ka " + c;
            case PIPELINED -> "pipe16 " + c;
            case CHURN -> "churn " + c;
            default -> scenario;
        };
    }

    private static int kindRank(String scenario) {
        return switch (kind(scenario)) {
            case KEEPALIVE -> 0;
            case PIPELINED -> 1;
            case CHURN -> 2;
            default -> 3;
        };
    }
}
