package io.katana.reactor;

import io.katana.reactor.spi.ReactorProvider;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;

/**
 * Finds reactor backends with {@link ServiceLoader} and picks one.
 *
 * <p>The best backend is the available one with the highest priority, ties broken by name. The
 * system property {@value #PROPERTY} or, failing that, the environment variable {@value #ENV}
 * forces a backend by name; forcing one that is missing or unavailable fails with a message listing
 * every backend found and why each is or is not available. Falling back from a preferred backend
 * that cannot run is logged once, at INFO, with the reason.
 *
 * <p><b>Threading:</b> all methods are safe from any thread. Providers are loaded once, on first use,
 * from this class's module layer or class path.
 */
public final class Reactors {

    /** System property that forces a backend by name. */
    public static final String PROPERTY = "katana.reactor";

    /** Environment variable that forces a backend by name, when the property is not set. */
    public static final String ENV = "KATANA_REACTOR";

    private Reactors() {}

    /**
     * {@return every provider found, available or not, best first} Useful to report what this process
     * could run.
     */
    public static List<ReactorProvider> all() {
        return Holder.DISCOVERY.all();
    }

    /**
     * {@return the forced backend if one is forced, otherwise the best available one}
     *
     * @throws ReactorUnavailableException if the forced backend is missing or unavailable, or no
     *     backend is available at all
     */
    public static ReactorProvider best() {
        return Holder.DISCOVERY.best();
    }

    /**
     * {@return the provider with this name}
     *
     * @param name a provider's {@link ReactorProvider#name()}, such as {@code nio}
     * @throws ReactorUnavailableException if none has the name, or it is unavailable
     */
    public static ReactorProvider named(String name) {
        return Holder.DISCOVERY.named(name);
    }

    /**
     * Opens a group on {@link #best()} with {@link ReactorConfig#defaults()}.
     *
     * @return the started group; close it to stop its threads
     * @throws ReactorUnavailableException as {@link #best()}
     */
    public static ReactorGroup open() {
        return best().open(ReactorConfig.defaults());
    }

    /**
     * Opens a group on {@link #best()}.
     *
     * @param config threads, buffers and timer settings of the group
     * @return the started group; close it to stop its threads
     * @throws ReactorUnavailableException as {@link #best()}
     */
    public static ReactorGroup open(ReactorConfig config) {
        return best().open(config);
    }

    private static final class Holder {
        static final ReactorDiscovery DISCOVERY = new ReactorDiscovery(load(), systemOverride());

        private static List<ReactorProvider> load() {
            return ServiceLoader.load(ReactorProvider.class, Reactors.class.getClassLoader()).stream()
                    .map(ServiceLoader.Provider::get)
                    .toList();
        }

        private static UnaryOperator<String> systemOverride() {
            return key -> switch (key) {
                case PROPERTY -> System.getProperty(PROPERTY);
                case ENV -> System.getenv(ENV);
                default -> null;
            };
        }
    }
}
