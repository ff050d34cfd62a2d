package io.katana.reactor.epoll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SleepCoalescingTest {
    private static final long MAX = 25_000;

    @Test
    void aLoopThatHasNotYetFoundWorkWaitingNeverSpins() {
        assertThat(new SleepCoalescing(MAX).spinNanos(1_000)).isZero();
    }

    @Test
    void eventsFoundWithoutSleepingMakeTheNextWaitSpinInProportionToOpenConnections() {
        SleepCoalescing coalescing = new SleepCoalescing(MAX);
        coalescing.waited(3, 2_000);
        assertThat(coalescing.spinNanos(8)).isEqualTo(8 * SleepCoalescing.SPIN_NANOS_PER_OPEN_CONNECTION);
        assertThat(coalescing.spinNanos(100)).isEqualTo(100 * SleepCoalescing.SPIN_NANOS_PER_OPEN_CONNECTION);
        assertThat(coalescing.spinNanos(10_000)).as("capped").isEqualTo(MAX);
        assertThat(coalescing.spinNanos(0)).isZero();
    }

    @Test
    void aWaitThatSleptLongerThanASpinOrFoundNothingEndsTheSpinning() {
        SleepCoalescing coalescing = new SleepCoalescing(MAX);
        coalescing.waited(5, 1_000);
        coalescing.waited(1, MAX);
        assertThat(coalescing.spinNanos(256)).as("slept as long as a spin: the load is light").isZero();

        coalescing.waited(5, 1_000);
        coalescing.waited(0, 1_000);
        assertThat(coalescing.spinNanos(256)).as("a timeout or an interrupted wait").isZero();
    }

    @Test
    void zeroTurnsSpinningOff() {
        SleepCoalescing off = new SleepCoalescing(0);
        off.waited(10, 0);
        assertThat(off.spinNanos(10_000)).isZero();
    }

    @Test
    void theSpinLastsItsTimeWhenNothingStopsIt() {
        SleepCoalescing coalescing = new SleepCoalescing(MAX);
        coalescing.waited(4, 500);
        long started = System.nanoTime();
        long spun = coalescing.spinBeforeBlocking(1_000, -1, () -> false);
        assertThat(spun).isGreaterThanOrEqualTo(MAX);
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(spun);
    }

    @Test
    void aTaskEndsTheSpinAtOnce() {
        SleepCoalescing coalescing = new SleepCoalescing(1_000_000_000L);
        coalescing.waited(4, 500);
        int[] asked = {0};
        long spun = coalescing.spinBeforeBlocking(100_000, -1, () -> ++asked[0] > 3);
        assertThat(asked[0]).as("stops at the first 'task pending'").isEqualTo(4);
        assertThat(spun).isLessThan(1_000_000_000L);
    }

    @Test
    void aTimerDueSoonerThanTheSpinShortensIt() {
        SleepCoalescing coalescing = new SleepCoalescing(1_000_000_000L);
        coalescing.waited(4, 500);
        long spun = coalescing.spinBeforeBlocking(100_000, 20_000, () -> false);
        assertThat(spun).isGreaterThanOrEqualTo(20_000).isLessThan(1_000_000_000L);
        assertThat(coalescing.spinBeforeBlocking(0, -1, () -> false)).as("no connections, no spin").isZero();
    }

    @Test
    void thePropertyTakesMicrosecondsAndExplainsABadValue() {
        String before = System.getProperty(SleepCoalescing.PROPERTY);
        try {
            System.clearProperty(SleepCoalescing.PROPERTY);
            assertThat(SleepCoalescing.configuredMaxSpinNanos())
                    .isEqualTo(SleepCoalescing.DEFAULT_MAX_SPIN_MICROS * 1_000);
            System.setProperty(SleepCoalescing.PROPERTY, " 0 ");
            assertThat(SleepCoalescing.configuredMaxSpinNanos()).isZero();
            System.setProperty(SleepCoalescing.PROPERTY, "40");
            assertThat(SleepCoalescing.configuredMaxSpinNanos()).isEqualTo(40_000);
            for (String bad : new String[] {"-1", "25us", "2000000"}) {
                System.setProperty(SleepCoalescing.PROPERTY, bad);
                assertThatThrownBy(SleepCoalescing::configuredMaxSpinNanos)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("-Dkatana.epoll.spinMicros=" + bad)
                        .hasMessageContaining("microseconds from 0 (off) to 1000000");
            }
        } finally {
            if (before == null) {
                System.clearProperty(SleepCoalescing.PROPERTY);
            } else {
                System.setProperty(SleepCoalescing.PROPERTY, before);
            }
        }
    }
}
