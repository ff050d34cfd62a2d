package io.katana.benchmarks.http;

import io.katana.http.internal.DateHeader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code Date} header cache: {@code cached} is what every response pays (the clock and a
 * volatile read of the line formatted for this second); {@code cachedContended} the same from two
 * threads at once, as two reactors read it; {@code newSecond} what the first response of each second
 * pays to format the line again (every call here lands in a new second).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class DateHeaderBenchmark {

    private long epochMillis = System.currentTimeMillis();

    @Benchmark
    public byte[] cached() {
        return DateHeader.line();
    }

    @Benchmark
    @Threads(2)
    public byte[] cachedContended() {
        return DateHeader.line();
    }

    @Benchmark
    public byte[] newSecond() {
        epochMillis += 1000;
        return DateHeader.line(epochMillis);
    }
}
