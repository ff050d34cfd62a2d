package io.katana.conformance;

import io.katana.reactor.Reactor;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded waits. Every wait in the suite ends, so a broken backend fails a check instead of hanging
 * the build; the bounds are generous because the suite runs on small, loaded machines.
 *
 * <p>Threading: stateless; any thread.
 */
final class Waits {

    /** How long one event (a callback, a connect, a few bytes) may take on a loaded machine. */
    static final Duration EVENT = Duration.ofSeconds(10);

    /** How long a bulk transfer (up to 100 MiB over loopback) may take. */
    static final Duration TRANSFER = Duration.ofSeconds(60);

    /** How long a group may take to shut down at the end of a check. */
    static final Duration SHUTDOWN = Duration.ofSeconds(20);

    private Waits() {}

    static <T> T await(CompletableFuture<T> future, String what) {
        return await(future, EVENT, what);
    }

    static <T> T await(CompletableFuture<T> future, Duration limit, String what) {
        try {
            return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + ": did not happen within " + describe(limit));
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e);
            throw new AssertionError(what + ": failed with " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what + ": interrupted", e);
        }
    }

    /** Waits for {@code future} to fail and returns why, unwrapped from completion wrappers. */
    static Throwable awaitFailure(CompletableFuture<?> future, String what) {
        Object value;
        try {
            value = future.get(EVENT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return unwrap(e);
        } catch (TimeoutException e) {
            throw new AssertionError(what + ": neither completed nor failed within " + describe(EVENT));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what + ": interrupted", e);
        }
        throw new AssertionError(what + ": expected a failure, but it completed with " + value);
    }

    static void await(CountDownLatch latch, String what) {
        await(latch, EVENT, what);
    }

    static void await(CountDownLatch latch, Duration limit, String what) {
        try {
            if (!latch.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(what + ": did not happen within " + describe(limit)
                        + " (" + latch.getCount() + " still missing)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what + ": interrupted", e);
        }
    }

    /** Polls {@code condition} until it holds; fails with {@code what} once {@code limit} has passed. */
    static void until(BooleanSupplier condition, Duration limit, Supplier<String> what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what.get() + " (waited " + describe(limit) + ")");
            }
            sleep(Duration.ofMillis(5));
        }
    }

    /** Runs {@code action} on {@code reactor}'s thread and returns its result. */
    static <T> T onLoop(Reactor reactor, Callable<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        reactor.execute(() -> {
            try {
                result.complete(action.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return await(result, "a task on " + reactor.name());
    }

    /** Runs {@code action} on {@code reactor}'s thread and waits for it to finish. */
    static void onLoop(Reactor reactor, ThrowingAction action) {
        onLoop(reactor, () -> {
            action.run();
            return null;
        });
    }

    /**
     * Sleeps for a measurement window: "nothing happens for this long", or "the loop has had time to
     * fall asleep". Never used to wait for something that a latch or future can signal.
     */
    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** An action that may throw, run on a reactor thread by {@link #onLoop(Reactor, ThrowingAction)}. */
    @FunctionalInterface
    interface ThrowingAction {
        void run() throws Exception;
    }
}
