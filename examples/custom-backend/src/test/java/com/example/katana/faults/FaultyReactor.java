package com.example.katana.faults;

import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.ReactorStats;
import io.katana.reactor.ScheduledTask;
import java.util.concurrent.TimeUnit;

/** A delegate's reactor that names the faulty group as its own. Threading: as the delegate. */
final class FaultyReactor implements Reactor {
    private final Reactor delegate;
    private final ReactorGroup group;

    FaultyReactor(Reactor delegate, ReactorGroup group) {
        this.delegate = delegate;
        this.group = group;
    }

    boolean wraps(Reactor reactor) {
        return delegate == reactor;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public ReactorGroup group() {
        return group;
    }

    @Override
    public boolean inEventLoop() {
        return delegate.inEventLoop();
    }

    @Override
    public void execute(Runnable task) {
        delegate.execute(task);
    }

    @Override
    public ScheduledTask schedule(long delay, TimeUnit unit, Runnable task) {
        return delegate.schedule(delay, unit, task);
    }

    @Override
    public ReactorStats stats() {
        return delegate.stats();
    }

    @Override
    public void recordRequests(int count) {
        delegate.recordRequests(count);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
