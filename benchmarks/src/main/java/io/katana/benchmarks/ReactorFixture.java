package io.katana.benchmarks;

import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.Reactors;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One single-threaded reactor group of a named backend, and a way to run code on its loop and wait
 * for it. The JMH thread is never a reactor thread, so every loop-only operation goes through {@link
 * #onLoop}.
 *
 * <p><b>Threading:</b> {@link #onLoop} from any thread but the reactor's; {@link #close} once.
 */
final class ReactorFixture implements AutoCloseable {
    /** Bounds every wait so that a broken backend fails the benchmark instead of hanging it. */
    private static final long WAIT_SECONDS = 60;

    private final ReactorGroup group;
    private final Reactor reactor;

    private ReactorFixture(ReactorGroup group) {
        this.group = group;
        this.reactor = group.reactors().getFirst();
    }

    /** Opens a one-reactor group of {@code backend} with the default configuration. */
    static ReactorFixture open(String backend) {
        return open(backend, ReactorConfig.defaults());
    }

    /** Opens a one-reactor group of {@code backend}; the thread count of {@code config} is replaced by 1. */
    static ReactorFixture open(String backend, ReactorConfig config) {
        return new ReactorFixture(Reactors.named(backend)
                .open(config.withThreads(1).withThreadNamePrefix("bench-" + backend + "-")));
    }

    ReactorGroup group() {
        return group;
    }

    Reactor reactor() {
        return reactor;
    }

    /** Runs {@code action} on the reactor thread and waits until it has finished. */
    void onLoop(Runnable action) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        reactor.execute(() -> {
            try {
                action.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        await(done);
    }

    /** Waits for {@code future}, failing after a generous bound rather than hanging the run. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the reactor did not answer within " + WAIT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the reactor", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the reactor task failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        await(group.shutdownGracefully(Duration.ofSeconds(5)));
    }
}
