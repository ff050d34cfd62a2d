package io.katana.benchmarks;

import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ScheduledTask;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
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
 * The reactor's hashed timer wheel, through the public {@code Reactor.schedule} and {@code
 * ScheduledTask.cancel} on a real {@code nio} reactor (the wheel is shared SPI code, the same under
 * every backend). Each invocation works on {@value #TIMERS} timers on the loop thread; scores are per
 * timer.
 *
 * <ul>
 *   <li>{@code add}: schedule with deadlines spread over 1 ms to 60 s (many wheel revolutions);
 *   <li>{@code cancel}: cancel on the loop, O(1) unlinking;
 *   <li>{@code addAndFire}: schedule timers all due in the next tick and let one wheel pass run them
 *       (the score includes at most one 100 µs tick of waiting per {@value #TIMERS} timers);
 *   <li>{@code loopRoundTrip}: one {@code execute} round trip through a sleeping loop with 0 or
 *       {@value #TIMERS} timers pending far in the future: a wheel that scanned per loop pass would
 *       show here.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TimerWheelBenchmark {
    static final int TIMERS = 100_000;
    private static final Runnable NOTHING = () -> {};

    /** The reactor, with a 100 µs tick so that waiting for a tick barely weighs on {@code addAndFire}. */
    @State(Scope.Benchmark)
    public static class Loop {
        ReactorFixture fixture;
        final long[] delaysNanos = new long[TIMERS];
        final ScheduledTask[] tasks = new ScheduledTask[TIMERS];

        @Setup(Level.Trial)
        public void open() {
            fixture = ReactorFixture.open("nio", ReactorConfig.defaults().withTimerTick(Duration.ofNanos(100_000)));
            SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < TIMERS; i++) {
                delaysNanos[i] = random.nextLong(TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(60));
            }
        }

        void scheduleAll() {
            for (int i = 0; i < TIMERS; i++) {
                tasks[i] = fixture.reactor().schedule(delaysNanos[i], TimeUnit.NANOSECONDS, NOTHING);
            }
        }

        void cancelAll() {
            for (int i = 0; i < TIMERS; i++) {
                tasks[i].cancel();
                tasks[i] = null;
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            fixture.close();
        }
    }

    /** For {@code add}: the wheel is emptied after each invocation, outside the measured time. */
    @State(Scope.Benchmark)
    public static class EmptiedAfterwards {
        @TearDown(Level.Invocation)
        public void cancelAll(Loop loop) {
            loop.fixture.onLoop(loop::cancelAll);
        }
    }

    /** For {@code cancel}: the wheel is filled before each invocation, outside the measured time. */
    @State(Scope.Benchmark)
    public static class FilledBefore {
        @Setup(Level.Invocation)
        public void scheduleAll(Loop loop) {
            loop.fixture.onLoop(loop::scheduleAll);
        }
    }

    @Benchmark
    @OperationsPerInvocation(TIMERS)
    public void add(Loop loop, EmptiedAfterwards emptied) {
        loop.fixture.onLoop(loop::scheduleAll);
    }

    @Benchmark
    @OperationsPerInvocation(TIMERS)
    public void cancel(Loop loop, FilledBefore filled) {
        loop.fixture.onLoop(loop::cancelAll);
    }

    @Benchmark
    @OperationsPerInvocation(TIMERS)
    public void addAndFire(Loop loop) {
        CompletableFuture<Void> allRan = new CompletableFuture<>();
        loop.fixture.onLoop(() -> {
            int[] remaining = {TIMERS};
            Runnable countDown = () -> {
                if (--remaining[0] == 0) {
                    allRan.complete(null);
                }
            };
            for (int i = 0; i < TIMERS; i++) {
                loop.fixture.reactor().schedule(0, TimeUnit.NANOSECONDS, countDown);
            }
        });
        ReactorFixture.await(allRan);
    }

    /** Timers pending far beyond the run, so that they never fire while it lasts. */
    @State(Scope.Benchmark)
    public static class Pending {
        @Param({"0", "100000"})
        public int pendingTimers;

        ReactorFixture fixture;
        ScheduledTask[] tasks;

        @Setup(Level.Trial)
        public void open() {
            fixture = ReactorFixture.open("nio");
            tasks = new ScheduledTask[pendingTimers];
            fixture.onLoop(() -> {
                for (int i = 0; i < pendingTimers; i++) {
                    tasks[i] = fixture.reactor().schedule(Duration.ofHours(1).plusMillis(i), NOTHING);
                }
            });
        }

        @TearDown(Level.Trial)
        public void close() {
            fixture.onLoop(() -> {
                for (ScheduledTask task : tasks) {
                    task.cancel();
                }
            });
            fixture.close();
        }
    }

    @Benchmark
    public void loopRoundTrip(Pending pending) {
        pending.fixture.onLoop(NOTHING);
    }
}
