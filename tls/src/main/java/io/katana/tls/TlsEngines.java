package io.katana.tls;

import io.katana.tls.spi.TlsEngineProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds TLS engines with {@link ServiceLoader}: the best available one (highest priority, ties by
 * name), one by name, or all. {@value #PROPERTY} (system property) or {@value #ENV} (environment)
 * forces one by name; forcing one that cannot run fails with every engine's state.
 *
 * <p><b>Threading:</b> safe from any thread; the engines are looked up once.
 */
public final class TlsEngines {

    /** The system property that forces an engine by name. */
    public static final String PROPERTY = "katana.tls";
    /** The environment variable that forces an engine when the property is unset. */
    public static final String ENV = "KATANA_TLS";

    private static final Logger LOG = LoggerFactory.getLogger(TlsEngines.class);
    private static final Comparator<TlsEngineProvider> BEST_FIRST =
            Comparator.comparingInt(TlsEngineProvider::priority).reversed().thenComparing(TlsEngineProvider::name);

    private static final class Found {
        static final List<TlsEngineProvider> ALL = load();
    }

    private TlsEngines() {}

    /** {@return every engine found, best first, available or not} */
    public static List<TlsEngineProvider> all() {
        return Found.ALL;
    }

    /**
     * {@return the forced engine if one is named, else the best available one}
     *
     * @throws TlsEngineUnavailableException if the forced engine cannot run, or none can
     */
    public static TlsEngineProvider best() {
        String forced = System.getProperty(PROPERTY);
        if (forced == null || forced.isBlank()) {
            forced = System.getenv(ENV);
        }
        if (forced != null && !forced.isBlank()) {
            return named(forced);
        }
        List<TlsEngineProvider> engines = all();
        for (TlsEngineProvider engine : engines) {
            if (engine.isAvailable()) {
                if (engine != engines.getFirst()) {
                    LOG.info("TLS engine {} unavailable: {}; using {}", engines.getFirst().name(),
                            engines.getFirst().availability().reason(), engine.name());
                }
                return engine;
            }
        }
        throw new TlsEngineUnavailableException("no TLS engine is available. " + describe(), null);
    }

    /**
     * {@return the engine with this name}
     *
     * @param name such as {@code jdk}
     * @throws TlsEngineUnavailableException if no engine has that name or it cannot run here
     */
    public static TlsEngineProvider named(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (TlsEngineProvider engine : all()) {
            if (engine.name().equals(wanted)) {
                if (!engine.isAvailable()) {
                    throw new TlsEngineUnavailableException("TLS engine '" + wanted + "' is unavailable: "
                            + engine.availability().reason() + ". " + describe(), engine.availability().cause());
                }
                return engine;
            }
        }
        throw new TlsEngineUnavailableException("no TLS engine named '" + wanted + "'. " + describe(), null);
    }

    /** {@return one sentence per engine: name, priority, available or why not} */
    public static String describe() {
        if (all().isEmpty()) {
            return "No TLS engine was found: put katana-tls on the class or module path.";
        }
        StringBuilder text = new StringBuilder("TLS engines found:");
        for (TlsEngineProvider engine : all()) {
            text.append(' ').append(engine.name()).append(" (priority ").append(engine.priority()).append("): ")
                    .append(engine.availability()).append(';');
        }
        text.setLength(text.length() - 1);
        return text.append('.').toString();
    }

    private static List<TlsEngineProvider> load() {
        List<TlsEngineProvider> found = new ArrayList<>();
        ServiceLoader.load(TlsEngineProvider.class, TlsEngines.class.getClassLoader()).forEach(found::add);
        found.sort(BEST_FIRST);
        return List.copyOf(found);
    }
}
