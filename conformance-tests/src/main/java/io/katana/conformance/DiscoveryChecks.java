package io.katana.conformance;

import io.katana.reactor.Reactors;
import io.katana.reactor.spi.ReactorProvider;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The backend under test can be found the way applications find it: by its name, through {@link
 * java.util.ServiceLoader} discovery ({@link Reactors#all()}), not only as the instance a test hands
 * the suite. A provider that works when constructed directly but was never registered (no {@code
 * META-INF/services/io.katana.reactor.spi.ReactorProvider} line, no {@code provides} in its
 * module-info) fails here, with what was found instead.
 */
final class DiscoveryChecks {

    private final Harness h;

    DiscoveryChecks(Harness harness) {
        this.h = harness;
    }

    void backendsAreFoundByNameThroughServiceLoader() {
        List<ReactorProvider> found = Reactors.all();
        assertDiscovered(h.serverProvider(), found);
        assertDiscovered(h.clientProvider(), found);
    }

    private static void assertDiscovered(ReactorProvider tested, List<ReactorProvider> found) {
        String name = tested.name();
        ReactorProvider discovered = found.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
        if (discovered == null) {
            throw new AssertionError("the backend under test, '" + name + "' (" + tested.getClass().getName()
                    + "), is not found through ServiceLoader by its name; found: "
                    + (found.isEmpty() ? "none" : found.stream().map(p -> p.name() + " (" + p.getClass().getName() + ")")
                            .collect(Collectors.joining(", ")))
                    + ". Register it: a line '" + tested.getClass().getName()
                    + "' in META-INF/services/io.katana.reactor.spi.ReactorProvider, and 'provides "
                    + "io.katana.reactor.spi.ReactorProvider with " + tested.getClass().getName()
                    + "' in its module-info");
        }
        if (discovered.getClass() != tested.getClass()) {
            throw new AssertionError("ServiceLoader finds '" + name + "' as " + discovered.getClass().getName()
                    + ", not as the provider under test, " + tested.getClass().getName()
                    + ": applications asking for '" + name + "' would get another backend than the one checked");
        }
    }
}
