package com.example.katana.logging;

import com.google.auto.service.AutoService;
import io.katana.reactor.Availability;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.ReactorUnavailableException;
import io.katana.reactor.Reactors;
import io.katana.reactor.spi.ReactorProvider;

/**
 * The {@code logging-nio} backend: {@code nio}, plus a DEBUG log line when a connection opens and
 * when it closes. Its priority is below {@code nio}'s, so it runs only when asked for by name.
 *
 * <p><b>Threading:</b> safe from any thread.
 */
@AutoService(ReactorProvider.class)
public final class LoggingReactorProvider implements ReactorProvider {
    static final String NAME = "logging-nio";
    private static final String DELEGATE = "nio";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 1;
    }

    @Override
    public Availability availability() {
        for (ReactorProvider provider : Reactors.all()) {
            if (provider.name().equals(DELEGATE)) {
                Availability delegate = provider.availability();
                return delegate.available()
                        ? Availability.AVAILABLE
                        : Availability.unavailable("it decorates nio, which is unavailable: " + delegate.reason());
            }
        }
        return Availability.unavailable("it decorates nio, which is not on the class or module path; add katana-backend-nio");
    }

    @Override
    public ReactorGroup open(ReactorConfig config) {
        ensureAvailability();
        try {
            return new LoggingReactorGroup(NAME, Reactors.named(DELEGATE).open(config));
        } catch (ReactorUnavailableException e) {
            throw new ReactorUnavailableException(NAME + " unavailable: " + e.getMessage(), e);
        }
    }
}
