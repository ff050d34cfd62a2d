package io.katana.conformance;

import io.katana.reactor.Availability;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.spi.ReactorProvider;

/** A provider with a fixed name and availability, for checking how runs are planned; never opened. */
final class FixedProvider implements ReactorProvider {
    private final String name;
    private final Availability availability;

    FixedProvider(String name, Availability availability) {
        this.name = name;
        this.availability = availability;
    }

    static FixedProvider available(String name) {
        return new FixedProvider(name, Availability.AVAILABLE);
    }

    static FixedProvider unavailable(String name, String reason) {
        return new FixedProvider(name, Availability.unavailable(reason));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Availability availability() {
        return availability;
    }

    @Override
    public ReactorGroup open(ReactorConfig config) {
        throw new AssertionError("planning a run must not open " + name);
    }
}
