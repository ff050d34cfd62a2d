package io.katana.benchmarks;

import io.katana.reactor.spi.MpscTaskQueue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The two queues {@link TaskQueueBenchmark} compares behind one shape: the reactor's {@link
 * MpscTaskQueue} and the JDK's {@link ConcurrentLinkedQueue} as the general-purpose peer.
 *
 * <p><b>Threading:</b> {@link #offer} from any thread; {@link #poll} from one consumer thread.
 */
sealed interface TaskQueue {

    void offer(Runnable task);

    /** The oldest task, or null when none is visible. */
    Runnable poll();

    /** The queue named {@code mpsc} or {@code clq}. */
    static TaskQueue named(String name) {
        return switch (name) {
            case "mpsc" -> new Mpsc();
            case "clq" -> new Clq();
            default -> throw new IllegalArgumentException("unknown queue '" + name + "': use mpsc or clq");
        };
    }

    /** The reactor's multi-producer single-consumer queue. */
    final class Mpsc implements TaskQueue {
        private final MpscTaskQueue queue = new MpscTaskQueue();

        @Override
        public void offer(Runnable task) {
            queue.offer(task);
        }

        @Override
        public Runnable poll() {
            return queue.poll();
        }
    }

    /** The JDK's lock-free multi-producer multi-consumer queue. */
    final class Clq implements TaskQueue {
        private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();

        @Override
        public void offer(Runnable task) {
            queue.offer(task);
        }

        @Override
        public Runnable poll() {
            return queue.poll();
        }
    }
}
