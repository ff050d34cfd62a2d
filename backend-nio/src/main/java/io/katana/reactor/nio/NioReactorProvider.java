package io.katana.reactor.nio;

import com.google.auto.service.AutoService;
import io.katana.reactor.Availability;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.spi.ReactorProvider;
import java.io.IOException;
import java.nio.channels.Selector;

/**
 * The {@code nio} backend: {@link Selector} on every platform the JDK supports.
 *
 * <p><b>Threading:</b> safe from any thread; availability is probed once.
 */
@AutoService(ReactorProvider.class)
public final class NioReactorProvider implements ReactorProvider {

    /** The name users pass to pick this backend. */
    public static final String NAME = "nio";

    /** Below {@code epoll-ffm} (100): the portable fallback. */
    public static final int PRIORITY = 10;

    private static final class Probe {
        static final Availability RESULT = probe();

        private static Availability probe() {
            try (Selector selector = Selector.open()) {
                return Availability.AVAILABLE;
            } catch (IOException | RuntimeException e) {
                return Availability.unavailable("cannot open a java.nio Selector: " + e, e);
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Availability availability() {
        return Probe.RESULT;
    }

    @Override
    public ReactorGroup open(ReactorConfig config) {
        ensureAvailability();
        return new NioReactorGroup(config);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
