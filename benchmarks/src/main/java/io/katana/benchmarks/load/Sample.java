package io.katana.benchmarks.load;

import java.util.List;

/**
 * One measured run of one scenario against one server, as {@code bench.sh} records it: a tab-separated
 * line of server, scenario, run, requests per second, errors, server CPU microseconds per request,
 * latency p50, p99 and p99.9 in microseconds (0 when the load generator gives none), requests, and
 * the user-space part of the server's CPU per request (absent from results written before it was
 * recorded: then 0, shown as missing).
 *
 * @param errors failed or non-2xx requests, or -1 when the load generator gave no result
 * @param cpuMicrosPerRequest user plus kernel CPU of the server per request
 * @param userMicrosPerRequest the user-space part: the server's own code (kernel time is mostly
 *     loopback TCP, about the same for every server)
 */
record Sample(String server, String scenario, int run, double requestsPerSecond, long errors,
        double cpuMicrosPerRequest, double p50Micros, double p99Micros, double p999Micros, long requests,
        double userMicrosPerRequest) {

    /** Whether the load generator produced a result at all. */
    boolean completed() {
        return errors >= 0 && requests > 0;
    }

    /** Parses one line of {@code results.tsv}. */
    static Sample parse(String line) {
        List<String> f = List.of(line.split("\t", -1));
        if (f.size() != 10 && f.size() != 11) {
            throw new IllegalArgumentException("expected 11 tab-separated fields, got " + f.size() + ": " + line);
        }
        return new Sample(f.get(0), f.get(1), Integer.parseInt(f.get(2)), Double.parseDouble(f.get(3)),
                Long.parseLong(f.get(4)), Double.parseDouble(f.get(5)), Double.parseDouble(f.get(6)),
                Double.parseDouble(f.get(7)), Double.parseDouble(f.get(8)), Long.parseLong(f.get(9)),
                f.size() == 11 ? Double.parseDouble(f.get(10)) : 0);
    }
}
