package com.example.katana.faults;

import io.katana.reactor.Availability;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.Reactors;
import io.katana.reactor.spi.ReactorProvider;

/**
 * The {@code faulty} backend: a decorator of {@code epoll-ffm} (or {@code nio} where epoll cannot
 * run) that injects the one {@link Fault} switched on with {@link #inject}, to prove the conformance
 * suite catches it. Registered for ServiceLoader in this module's test resources, with the lowest
 * priority, so it runs only when named.
 *
 * <p><b>Threading:</b> the switch is a volatile static read when a group opens; safe from any thread.
 */
public class FaultyReactorProvider implements ReactorProvider {

    private static volatile Fault active = Fault.NONE;

    /** For ServiceLoader. */
    public FaultyReactorProvider() {}

    /**
     * Switches {@code fault} on for every group opened from now on.
     *
     * @param fault the fault to inject, {@link Fault#NONE} for none
     */
    public static void inject(Fault fault) {
        active = fault;
    }

    /** {@return the fault switched on} */
    public static Fault active() {
        return active;
    }

    /** {@return the provider the suite should be handed under the active fault} */
    public static ReactorProvider forActiveFault() {
        return active == Fault.UNREGISTERED_PROVIDER ? new UnregisteredFaultyProvider() : new FaultyReactorProvider();
    }

    /** {@return the decorated backend: epoll-ffm where it runs, else nio} */
    static ReactorProvider delegate() {
        for (String name : new String[] {"epoll-ffm", "nio"}) {
            for (ReactorProvider provider : Reactors.all()) {
                if (provider.name().equals(name) && provider.isAvailable()) {
                    return provider;
                }
            }
        }
        throw new IllegalStateException("neither epoll-ffm nor nio is available to decorate");
    }

    @Override
    public String name() {
        return "faulty";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Availability availability() {
        return Availability.AVAILABLE;
    }

    /** {@return what the decorated backend says: the decorator must not promise less than it} */
    @Override
    public boolean reportsResetWhilePaused() {
        return delegate().reportsResetWhilePaused();
    }

    @Override
    public ReactorGroup open(ReactorConfig config) {
        return new FaultyGroup(name(), delegate().open(config), active);
    }

    /** The same backend under a name and class that no META-INF/services file registers. */
    static final class UnregisteredFaultyProvider extends FaultyReactorProvider {
        @Override
        public String name() {
            return "faulty-unregistered";
        }
    }
}
