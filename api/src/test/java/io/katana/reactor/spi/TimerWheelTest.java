package io.katana.reactor.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The wheel driven by a fake clock: no threads, no sleeping. */
class TimerWheelTest {
    private static final long TICK = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long ORIGIN = 1_000_000_000L;

    private final TimerWheel wheel = new TimerWheel(TICK, 8, ORIGIN);
    private final List<String> fired = new ArrayList<>();

    private WheelTimeout add(String label, long delayMillis) {
        WheelTimeout timeout = new WheelTimeout(null, () -> fired.add(label), ORIGIN + delayMillis * TICK);
        wheel.add(timeout);
        return timeout;
    }

    private static long at(double millis) {
        return ORIGIN + (long) (millis * TICK);
    }

    @Test
    void firesInDeadlineOrderAcrossTicksAndNeverEarly() {
        add("c", 5);
        add("a", 1);
        add("b", 3);

        wheel.expire(at(0.9));
        assertThat(fired).isEmpty();
        wheel.expire(at(3));
        assertThat(fired).containsExactly("a", "b");
        wheel.expire(at(4.99));
        assertThat(fired).containsExactly("a", "b");
        wheel.expire(at(5));
        assertThat(fired).containsExactly("a", "b", "c");
        assertThat(wheel.size()).isZero();
    }

    @Test
    void aTimeoutMoreThanOneRevolutionAwayWaitsForItsOwnTick() {
        add("far", 8 * 3 + 2); // three revolutions of an 8-slot wheel, then 2 ticks

        for (int ms = 1; ms < 26; ms++) {
            wheel.expire(at(ms));
        }
        assertThat(fired).isEmpty();
        wheel.expire(at(26));
        assertThat(fired).containsExactly("far");
    }

    @Test
    void aLongSleepFiresEverythingDueOnce() {
        for (int i = 1; i <= 40; i++) {
            add("t" + i, i);
        }

        int ran = wheel.expire(at(1000));

        assertThat(ran).isEqualTo(40);
        assertThat(fired).hasSize(40).doesNotHaveDuplicates();
    }

    @Test
    void cancelledTimeoutsNeverRun() {
        WheelTimeout doomed = add("doomed", 2);
        add("kept", 2);

        wheel.unlink(doomed); // what cancel() does on the loop
        assertThat(doomed.claimExpiry()).isTrue(); // not cancelled through the state here
        wheel.expire(at(5));

        assertThat(fired).containsExactly("kept");
    }

    @Test
    void theNextDeadlineIsCachedAndRecomputedOnlyWhenPassed() {
        assertThat(wheel.nanosUntilNextDeadline(at(0))).isEqualTo(-1);
        add("a", 3);
        add("b", 20);

        assertThat(wheel.nanosUntilNextDeadline(at(1))).isEqualTo(2 * TICK);
        wheel.expire(at(3));
        // "b" is more than a revolution (8 ticks) away: the bound is the next revolution, never later than b.
        long next = wheel.nanosUntilNextDeadline(at(3));
        assertThat(next).isPositive().isLessThanOrEqualTo(17 * TICK);
        wheel.expire(at(12));
        assertThat(wheel.nanosUntilNextDeadline(at(12))).isEqualTo(8 * TICK);
    }

    @Test
    void aTaskMayScheduleAnotherThatRunsOnALaterPass() {
        long[] deadline = {0};
        wheel.add(new WheelTimeout(null, () -> {
            fired.add("first");
            WheelTimeout second = new WheelTimeout(null, () -> fired.add("second"), deadline[0]);
            wheel.add(second);
        }, at(1)));
        deadline[0] = at(1); // already due when added: it still waits for the next tick

        wheel.expire(at(1));
        assertThat(fired).containsExactly("first");
        wheel.expire(at(2));
        assertThat(fired).containsExactly("first", "second");
    }

    @Test
    void aThrowingTaskDoesNotStopTheOthers() {
        wheel.add(new WheelTimeout(null, () -> {
            throw new IllegalStateException("boom (expected by the test)");
        }, at(1)));
        add("after", 1);

        wheel.expire(at(1));

        assertThat(fired).containsExactly("after");
    }
}
