package io.katana.reactor.epoll;

import com.google.auto.service.AutoService;
import io.katana.reactor.Availability;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.spi.ReactorProvider;

/**
 * The {@code epoll-ffm} backend: Linux epoll called through the Foreign Function and Memory API.
 * Preferred over {@code nio} (priority 100 against 10) wherever it is available.
 *
 * <p>It is unavailable off Linux, on an architecture whose {@code epoll_event} layout it does not
 * know, when the JVM was started without {@code --enable-native-access} for this module, or when
 * its probe cannot open an epoll fd and an eventfd; {@link #availability()} then says which.
 *
 * <p><b>Threading:</b> every method may be called from any thread.
 */
@AutoService(ReactorProvider.class)
public final class EpollReactorProvider implements ReactorProvider {

    /** The name users pass to pick this backend. */
    public static final String NAME = "epoll-ffm";

    /** Required by {@link java.util.ServiceLoader}. */
    public EpollReactorProvider() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    /**
     * {@inheritDoc} epoll reports {@code EPOLLERR} and {@code EPOLLHUP} whatever a socket's interest,
     * so a reset of a paused connection closes it at once.
     */
    @Override
    public boolean reportsResetWhilePaused() {
        return true;
    }

    @Override
    public Availability availability() {
        return EpollAvailability.current();
    }

    @Override
    public String toString() {
        return NAME;
    }

    @Override
    public ReactorGroup open(ReactorConfig config) {
        ensureAvailability();
        return new EpollReactorGroup(config, TriggerMode.configured());
    }
}
