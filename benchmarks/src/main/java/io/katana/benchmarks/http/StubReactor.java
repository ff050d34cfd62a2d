package io.katana.benchmarks.http;

import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.ReactorStats;
import io.katana.reactor.ScheduledTask;
import java.util.concurrent.TimeUnit;

/**
 * A reactor that is the calling thread: tasks run at once and timers never fire, so a connection
 * handler can be driven by a JMH thread without sockets.
 *
 * <p><b>Threading:</b> the JMH thread only.
 */
final class StubReactor implements Reactor {

    private static final ScheduledTask NEVER = new ScheduledTask() {
        @Override
        public boolean cancel() {
            return true;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isExpired() {
            return false;
        }
    };

    int scheduled;
    long requests;

    @Override
    public String name() {
        return "stub";
    }

    @Override
    public ReactorGroup group() {
        throw new UnsupportedOperationException("a stub reactor has no group");
    }

    @Override
    public boolean inEventLoop() {
        return true;
    }

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public ReactorStats stats() {
        return new ReactorStats(0, 0, 0, 0, 0, requests, 0, 0, 0);
    }

    @Override
    public void recordRequests(int count) {
        requests += count;
    }

    @Override
    public ScheduledTask schedule(long delay, TimeUnit unit, Runnable task) {
        scheduled++;
        return NEVER;
    }
}
