package io.katana.reactor.epoll;

import io.katana.reactor.Availability;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.spi.ReactorProvider;

/** Placeholder while the backend is written. */
public final class EpollReactorProvider implements ReactorProvider {
    public String name() { return "epoll-ffm"; }
    public int priority() { return 100; }
    public Availability availability() { return Availability.unavailable("not built yet"); }
    public ReactorGroup open(ReactorConfig config) { ensureAvailability(); return null; }
}
