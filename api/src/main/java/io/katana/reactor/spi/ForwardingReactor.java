package io.katana.reactor.spi;

import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.ReactorLocal;
import io.katana.reactor.ReactorStats;
import io.katana.reactor.ScheduledTask;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A delegate's reactor that names a decorating group as its own, so that the group a user opened is
 * the one its reactors report; every other call goes to the delegate. A decorating backend wraps
 * each reactor of the group it decorates in one of these.
 *
 * <p><b>Threading:</b> as the delegate.
 */
public class ForwardingReactor implements Reactor {
    private final Reactor delegate;
    private final ReactorGroup group;

    /**
     * Creates a reactor that forwards to {@code delegate} and reports {@code group}.
     *
     * @param delegate the reactor every call goes to
     * @param group the decorating group that {@link #group()} reports
     */
    public ForwardingReactor(Reactor delegate, ReactorGroup group) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.group = Objects.requireNonNull(group, "group");
    }

    /**
     * {@return whether this wraps {@code reactor}} For a decorator that meets its delegate's reactor
     * (a connection's, say) and must find its own.
     *
     * @param reactor a reactor of the decorated group
     */
    public final boolean wraps(Reactor reactor) {
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

    /** The delegate's value: a decorator and the reactor it wraps share their reactor locals. */
    @Override
    public <T> T local(ReactorLocal<T> key) {
        return delegate.local(key);
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
