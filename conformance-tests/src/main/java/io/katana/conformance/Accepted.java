package io.katana.conformance;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The handler factory of a listener in a check: makes a {@link Probe} per accepted connection and
 * hands them to the test in accept order.
 *
 * <p>Threading: {@link #get()} is called by the backend on any thread; the rest by the test.
 */
final class Accepted implements Supplier<Probe> {

    private final Supplier<Probe> factory;
    private final BlockingQueue<Probe> fresh = new LinkedBlockingQueue<>();
    private final List<Probe> all = new CopyOnWriteArrayList<>();

    Accepted(Supplier<Probe> factory) {
        this.factory = factory;
    }

    @Override
    public Probe get() {
        Probe probe = factory.get();
        all.add(probe);
        fresh.add(probe);
        return probe;
    }

    /** The handler of the next accepted connection, waiting for the accept if need be. */
    Probe next() {
        try {
            Probe probe = fresh.poll(Waits.EVENT.toMillis(), TimeUnit.MILLISECONDS);
            if (probe == null) {
                throw new AssertionError("no connection was accepted within " + Waits.describe(Waits.EVENT)
                        + " (" + all.size() + " accepted before)");
            }
            return probe;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Every handler made so far, in accept order. */
    List<Probe> all() {
        return List.copyOf(all);
    }

    int count() {
        return all.size();
    }
}
