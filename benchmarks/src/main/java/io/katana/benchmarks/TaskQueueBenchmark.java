package io.katana.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * The cross-thread task queue: the reactor's {@code MpscTaskQueue} against {@code
 * ConcurrentLinkedQueue}.
 *
 * <ul>
 *   <li>{@code offerThenPoll}: one thread offers and polls; the uncontended cost and the allocation
 *       per task (one node each);
 *   <li>{@code handOff}: the JMH thread offers a burst of {@value #BURST} tasks that a consumer thread,
 *       spinning like a busy reactor, polls and runs; the score is per task, from the first offer
 *       until the consumer has run the last.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TaskQueueBenchmark {
    static final int BURST = 1024;

    /** A queue drained by its own consumer thread. */
    @State(Scope.Benchmark)
    public static class Queue {
        @Param({"mpsc", "clq"})
        public String queue;

        TaskQueue tasks;
        final AtomicLong ran = new AtomicLong();
        private final Runnable count = () -> ran.lazySet(ran.get() + 1); // only the consumer writes
        private volatile boolean running;
        private Thread consumer;

        @Setup(Level.Trial)
        public void start() {
            tasks = TaskQueue.named(queue);
            running = true;
            consumer = Thread.ofPlatform().name("bench-consumer").daemon(true).start(() -> {
                while (running) {
                    Runnable task = tasks.poll();
                    if (task != null) {
                        task.run();
                    } else {
                        Thread.onSpinWait();
                    }
                }
            });
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            running = false;
            consumer.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /** A queue used by one thread only. */
    @State(Scope.Thread)
    public static class Private {
        @Param({"mpsc", "clq"})
        public String queue;

        TaskQueue tasks;

        @Setup(Level.Trial)
        public void create() {
            tasks = TaskQueue.named(queue);
        }
    }

    private static final Runnable NOTHING = () -> {};

    @Benchmark
    public Runnable offerThenPoll(Private state) {
        state.tasks.offer(NOTHING);
        return state.tasks.poll();
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public long handOff(Queue state) {
        long target = state.ran.get() + BURST;
        for (int i = 0; i < BURST; i++) {
            state.tasks.offer(state.count);
        }
        long seen;
        while ((seen = state.ran.get()) < target) {
            Thread.onSpinWait();
        }
        return seen;
    }
}
