package io.katana.reactor;

import io.katana.reactor.spi.ReactorProvider;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The selection rules behind {@link Reactors}, over a given list of providers; immutable. */
final class ReactorDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(Reactors.class);

    static final Comparator<ReactorProvider> BEST_FIRST = Comparator
            .comparingInt(ReactorProvider::priority).reversed()
            .thenComparing(ReactorProvider::name);

    private final List<ReactorProvider> providers;
    private final UnaryOperator<String> settings;
    private final AtomicBoolean fallbackLogged = new AtomicBoolean();

    /**
     * @param providers every provider found, in any order
     * @param settings looks up {@link Reactors#PROPERTY} and {@link Reactors#ENV}; null when unset
     */
    ReactorDiscovery(List<ReactorProvider> providers, UnaryOperator<String> settings) {
        this.providers = providers.stream().sorted(BEST_FIRST).toList();
        this.settings = settings;
    }

    List<ReactorProvider> all() {
        return providers;
    }

    ReactorProvider best() {
        String forced = forcedName();
        if (forced != null) {
            return named(forced);
        }
        ReactorProvider chosen = null;
        for (ReactorProvider provider : providers) {
            if (provider.isAvailable()) {
                chosen = provider;
                break;
            }
        }
        if (chosen == null) {
            throw new ReactorUnavailableException("no reactor backend is available. " + describe());
        }
        if (chosen != providers.getFirst() && fallbackLogged.compareAndSet(false, true)) {
            StringBuilder why = new StringBuilder();
            for (ReactorProvider skipped : providers) {
                if (skipped == chosen) break;
                if (!why.isEmpty()) why.append("; ");
                why.append(skipped.name()).append(" unavailable: ").append(skipped.availability().reason());
            }
            LOG.info("{}; falling back to {}", why, chosen.name());
        }
        return chosen;
    }

    ReactorProvider named(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (ReactorProvider provider : providers) {
            if (provider.name().equals(wanted)) {
                Availability availability = provider.availability();
                if (!availability.available()) {
                    throw new ReactorUnavailableException("reactor backend '" + wanted + "' is unavailable: "
                            + availability.reason() + ". " + describe(), availability.cause());
                }
                return provider;
            }
        }
        throw new ReactorUnavailableException("no reactor backend named '" + wanted + "'. " + describe());
    }

    /** The forced backend name, from the system property first, then the environment. */
    String forcedName() {
        String value = settings.apply(Reactors.PROPERTY);
        if (value == null || value.isBlank()) {
            value = settings.apply(Reactors.ENV);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** One sentence per provider: name, priority, available or why not. */
    String describe() {
        if (providers.isEmpty()) {
            return "No providers were found: add a backend jar such as katana-backend-nio to the class or module path.";
        }
        StringBuilder text = new StringBuilder("Backends found:");
        for (ReactorProvider provider : providers) {
            text.append(' ').append(provider.name())
                    .append(" (priority ").append(provider.priority()).append("): ")
                    .append(provider.availability()).append(';');
        }
        text.setLength(text.length() - 1);
        return text.append('.').toString();
    }
}
