package io.katana.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code Reactor.execute} from a thread that is not the reactor's, on each backend.
 *
 * <ul>
 *   <li>{@code wakeAndRun}: one task handed to a sleeping reactor and awaited: the wake-up path
 *       (Selector wakeup for nio, eventfd for epoll-ffm) and back;
 *   <li>{@code burst}: {@value #BURST} tasks offered back to back while the loop drains them; the
 *       score is per task, until the last has run, so wake-ups are amortised as in a busy server.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ReactorExecuteBenchmark {
    static final int BURST = 1024;

    /** A one-reactor group of the backend under test, and a counter only its loop writes. */
    @State(Scope.Benchmark)
    public static class Loop {
        @Param({"nio", "epoll-ffm"})
        public String backend;

        ReactorFixture fixture;
        private volatile long ran;
        // Only the reactor thread writes ran, so a plain read-then-write is safe.
        final Runnable count = () -> ran = ran + 1;

        @Setup(Level.Trial)
        public void open() {
            fixture = ReactorFixture.open(backend);
        }

        @TearDown(Level.Trial)
        public void close() {
            fixture.close();
        }
    }

    private static final Runnable NOTHING = () -> {};

    @Benchmark
    public void wakeAndRun(Loop loop) {
        loop.fixture.onLoop(NOTHING);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public long burst(Loop loop) {
        long target = loop.ran + BURST;
        for (int i = 0; i < BURST; i++) {
            loop.fixture.reactor().execute(loop.count);
        }
        long seen;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((seen = loop.ran) < target) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the reactor ran " + (seen - target + BURST) + " of " + BURST
                        + " tasks within 60 s");
            }
            Thread.onSpinWait();
        }
        return seen;
    }
}
