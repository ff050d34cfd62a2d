package io.katana.reactor.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MpscTaskQueueTest {

    @Test
    void isFifoForOneProducer() {
        MpscTaskQueue queue = new MpscTaskQueue();
        List<Integer> seen = new ArrayList<>();
        assertThat(queue.isEmpty()).isTrue();
        for (int i = 0; i < 5; i++) {
            int n = i;
            queue.offer(() -> seen.add(n));
        }
        assertThat(queue.isEmpty()).isFalse();
        Runnable task;
        while ((task = queue.poll()) != null) {
            task.run();
        }
        assertThat(seen).containsExactly(0, 1, 2, 3, 4);
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void keepsEachProducersOrderUnderContention() throws InterruptedException {
        MpscTaskQueue queue = new MpscTaskQueue();
        int producers = 4;
        int perProducer = 50_000;
        int[] last = new int[producers];
        java.util.Arrays.fill(last, -1);
        boolean[] outOfOrder = {false};
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    int n = i;
                    queue.offer(() -> {
                        if (last[producer] != n - 1) {
                            outOfOrder[0] = true;
                        }
                        last[producer] = n;
                    });
                }
            }));
        }
        start.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int consumed = 0;
        while (consumed < producers * perProducer && System.nanoTime() < deadline) {
            Runnable task = queue.poll();
            if (task == null) {
                Thread.onSpinWait();
                continue;
            }
            task.run();
            consumed++;
        }
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        assertThat(consumed).isEqualTo(producers * perProducer);
        assertThat(outOfOrder[0]).isFalse();
        assertThat(queue.isEmpty()).isTrue();
    }
}
