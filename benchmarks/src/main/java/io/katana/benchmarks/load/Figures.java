package io.katana.benchmarks.load;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The reduced runs of one scenario on one server: medians with spreads, and the errors of all runs.
 *
 * @param requestsPerSecond over the completed runs
 * @param cpuMicrosPerRequest server CPU per request over the completed runs
 * @param userMicrosPerRequest its user-space part over the completed runs that recorded it
 * @param errors errors summed over every run
 * @param failedRuns runs where the load generator produced no result
 */
record Figures(Spread requestsPerSecond, Spread cpuMicrosPerRequest, Spread userMicrosPerRequest,
        Spread p50Micros, Spread p99Micros, Spread p999Micros, long errors, int failedRuns) {

    static Figures of(List<Sample> runs) {
        List<Sample> completed = runs.stream().filter(Sample::completed).toList();
        long errors = runs.stream().mapToLong(s -> Math.max(0, s.errors())).sum();
        return new Figures(
                spread(completed, Sample::requestsPerSecond),
                spread(completed.stream().filter(s -> s.cpuMicrosPerRequest() > 0).toList(), Sample::cpuMicrosPerRequest),
                spread(completed.stream().filter(s -> s.userMicrosPerRequest() > 0).toList(), Sample::userMicrosPerRequest),
                spread(completed.stream().filter(s -> s.p50Micros() > 0).toList(), Sample::p50Micros),
                spread(completed.stream().filter(s -> s.p99Micros() > 0).toList(), Sample::p99Micros),
                spread(completed.stream().filter(s -> s.p999Micros() > 0).toList(), Sample::p999Micros),
                errors,
                runs.size() - completed.size());
    }

    private static Spread spread(List<Sample> runs, ToDoubleFunction<Sample> metric) {
        return Spread.of(runs.stream().mapToDouble(metric).toArray());
    }
}
