package io.katana.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.ScheduledTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The timer wheel as users see it: order, cancellation, volume, accuracy, long delays.
 *
 * <p>Accuracy is a correctness bound, not a benchmark: no timer may fire before its delay, and none
 * later than one tick plus {@link #SLACK}, which allows for a loaded two-core machine; the median
 * lateness must stay within one tick plus {@link #MEDIAN_SLACK}.
 */
final class TimerChecks {

    /** How late a single timer may be beyond one tick: thread scheduling on a loaded machine. */
    static final Duration SLACK = Duration.ofMillis(250);

    /** How late the median timer may be beyond one tick. */
    static final Duration MEDIAN_SLACK = Duration.ofMillis(75);

    private final Harness h;

    TimerChecks(Harness harness) {
        this.h = harness;
    }

    void timersFireInDeadlineOrderOnTheReactor() {
        Reactor reactor = h.server().reactors().getFirst();
        long[] delays = {80, 10, 50, 30, 70, 20, 60, 40};
        List<Long> fired = new ArrayList<>();
        List<String> offLoop = new ArrayList<>();
        CountDownLatch all = new CountDownLatch(delays.length * 2);
        for (long delay : delays) {
            reactor.schedule(delay, TimeUnit.MILLISECONDS, () -> record(reactor, delay, fired, offLoop, all));
        }
        Waits.onLoop(reactor, () -> {
            for (long delay : delays) {
                reactor.schedule(Duration.ofMillis(delay + 100), () -> record(reactor, delay + 100, fired, offLoop, all));
            }
        });
        Waits.await(all, "16 timers");
        Waits.onLoop(reactor, () -> {
            assertThat(offLoop).as("timers that ran off the reactor thread").isEmpty();
            assertThat(fired).as("delays in the order their timers fired").isSorted().hasSize(16);
        });
    }

    private static void record(Reactor reactor, long delay, List<Long> fired, List<String> offLoop,
            CountDownLatch all) {
        if (!reactor.inEventLoop()) {
            offLoop.add(Thread.currentThread().getName());
        }
        fired.add(delay);
        all.countDown();
    }

    void cancelledTimersNeverRun() {
        Reactor reactor = h.server().reactors().getFirst();
        AtomicBoolean cancelledRan = new AtomicBoolean();
        ScheduledTask cancelled = reactor.schedule(100, TimeUnit.MILLISECONDS, () -> cancelledRan.set(true));
        assertThat(cancelled.cancel()).as("first cancel").isTrue();
        assertThat(cancelled.cancel()).as("second cancel").isFalse();
        assertThat(cancelled.isCancelled()).isTrue();
        assertThat(cancelled.isExpired()).isFalse();

        AtomicBoolean cancelledOnLoopRan = new AtomicBoolean();
        boolean cancelledOnLoop = Waits.onLoop(reactor, () -> reactor
                .schedule(50, TimeUnit.MILLISECONDS, () -> cancelledOnLoopRan.set(true)).cancel());
        assertThat(cancelledOnLoop).as("cancel on the reactor thread").isTrue();

        CountDownLatch ran = new CountDownLatch(1);
        ScheduledTask expired = reactor.schedule(1, TimeUnit.MILLISECONDS, ran::countDown);
        CountDownLatch sentinel = new CountDownLatch(1);
        reactor.schedule(300, TimeUnit.MILLISECONDS, sentinel::countDown);
        Waits.await(ran, "a 1 ms timer");
        Waits.await(sentinel, "a 300 ms timer scheduled after the cancelled ones");
        assertThat(cancelledRan).as("a timer cancelled from another thread ran").isFalse();
        assertThat(cancelledOnLoopRan).as("a timer cancelled on the reactor thread ran").isFalse();
        assertThat(expired.isExpired()).as("isExpired after running").isTrue();
        assertThat(expired.cancel()).as("cancel after running").isFalse();
        assertThat(expired.isCancelled()).isFalse();
    }

    void tenThousandTimersAllFireOnceAndNeverEarly() throws Exception {
        int count = 10_000;
        Reactor reactor = h.server().reactors().getFirst();
        Random random = new Random(h.seed());
        long[] delays = new long[count];
        long[] scheduledAt = new long[count];
        AtomicLongArray firedAt = new AtomicLongArray(count);
        AtomicInteger duplicates = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            delays[i] = random.nextInt(300);
        }
        // Half from the test thread, half from the reactor thread itself.
        Runnable scheduleSecondHalf = () -> {
            for (int i = count / 2; i < count; i++) {
                scheduledAt[i] = System.nanoTime();
                scheduleOne(reactor, i, delays[i], firedAt, duplicates, all);
            }
        };
        reactor.execute(scheduleSecondHalf);
        for (int i = 0; i < count / 2; i++) {
            scheduledAt[i] = System.nanoTime();
            scheduleOne(reactor, i, delays[i], firedAt, duplicates, all);
        }
        Waits.await(all, "10,000 timers of up to 300 ms");
        assertThat(duplicates.get()).as("timers that fired twice").isZero();
        Waits.onLoop(reactor, () -> { }); // orders the reactor's writes of scheduledAt before the reads below
        for (int i = 0; i < count; i++) {
            long elapsed = firedAt.get(i) - scheduledAt[i];
            if (elapsed < TimeUnit.MILLISECONDS.toNanos(delays[i])) {
                throw new AssertionError("timer " + i + " with a delay of " + delays[i] + " ms fired early, after "
                        + elapsed / 1_000 + " µs");
            }
        }
    }

    private static void scheduleOne(Reactor reactor, int index, long delay, AtomicLongArray firedAt,
            AtomicInteger duplicates, CountDownLatch all) {
        reactor.schedule(delay, TimeUnit.MILLISECONDS, () -> {
            if (!firedAt.compareAndSet(index, 0, System.nanoTime())) {
                duplicates.incrementAndGet();
            }
            all.countDown();
        });
    }

    void timersAreAccurateToATick() {
        assertAccurate(h.server(), Duration.ofMillis(1),
                new long[] {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987});
        Duration coarse = Duration.ofMillis(20);
        ReactorGroup coarseGroup = h.openServer(config -> config.withThreads(1).withTimerTick(coarse));
        assertAccurate(coarseGroup, coarse, new long[] {1, 5, 19, 20, 21, 39, 41, 99, 250, 333});
    }

    void timersBeyondOneWheelTurnDoNotFireEarly() {
        Duration tick = Duration.ofMillis(1);
        ReactorGroup small = h.openServer(config -> config.withThreads(1).withTimerTick(tick).withTimerWheelSlots(64));
        assertAccurate(small, tick, new long[] {63, 64, 65, 100, 128, 129, 200, 333, 500});
    }

    /** Schedules one timer per delay at once and checks each fired within [delay, delay + tick + slack]. */
    private static void assertAccurate(ReactorGroup group, Duration tick, long[] delaysMillis) {
        Reactor reactor = group.reactors().getFirst();
        int count = delaysMillis.length;
        long[] scheduledAt = new long[count];
        AtomicLongArray firedAt = new AtomicLongArray(count);
        CountDownLatch all = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            scheduledAt[i] = System.nanoTime();
            reactor.schedule(delaysMillis[i], TimeUnit.MILLISECONDS, () -> {
                firedAt.set(index, System.nanoTime());
                all.countDown();
            });
        }
        Waits.await(all, count + " timers with a tick of " + tick.toMillis() + " ms");
        long[] lateness = new long[count];
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < count; i++) {
            long elapsed = firedAt.get(i) - scheduledAt[i];
            long delay = TimeUnit.MILLISECONDS.toNanos(delaysMillis[i]);
            lateness[i] = elapsed - delay;
            report.append(delaysMillis[i]).append(" ms fired after ").append(elapsed / 1_000).append(" µs; ");
            if (elapsed < delay) {
                throw new AssertionError("a timer fired early, tick " + tick.toMillis() + " ms: " + report);
            }
        }
        long allowed = tick.toNanos() + SLACK.toNanos();
        for (int i = 0; i < count; i++) {
            if (lateness[i] > allowed) {
                throw new AssertionError("a timer fired more than one tick + " + SLACK.toMillis() + " ms late, tick "
                        + tick.toMillis() + " ms: " + report);
            }
        }
        long[] sorted = lateness.clone();
        Arrays.sort(sorted);
        long median = sorted[count / 2];
        assertThat(median).as("median lateness (ns) with a tick of " + tick.toMillis() + " ms: " + report)
                .isLessThanOrEqualTo(tick.toNanos() + MEDIAN_SLACK.toNanos());
    }
}
