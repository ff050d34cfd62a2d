package io.katana.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.katana.reactor.spi.ReactorProvider;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ReactorDiscoveryTest {

    private static final UnaryOperator<String> NOTHING_FORCED = key -> null;

    private static ReactorProvider provider(String name, int priority, Availability availability) {
        return new ReactorProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int priority() {
                return priority;
            }

            @Override
            public Availability availability() {
                return availability;
            }

            @Override
            public ReactorGroup open(ReactorConfig config) {
                throw new UnsupportedOperationException("not opened in discovery tests");
            }
        };
    }

    private final ReactorProvider fast = provider("fast", 100, Availability.AVAILABLE);
    private final ReactorProvider portable = provider("portable", 10, Availability.AVAILABLE);
    private final ReactorProvider broken = provider("broken", 500,
            Availability.unavailable("native access not enabled; add --enable-native-access=ALL-UNNAMED"));

    @Test
    void allListsEveryProviderBestFirstAvailableOrNot() {
        ReactorDiscovery discovery = new ReactorDiscovery(List.of(portable, broken, fast), NOTHING_FORCED);

        assertThat(discovery.all()).extracting(ReactorProvider::name).containsExactly("broken", "fast", "portable");
    }

    @Test
    void bestIsTheAvailableProviderWithTheHighestPriority() {
        ReactorDiscovery discovery = new ReactorDiscovery(List.of(portable, broken, fast), NOTHING_FORCED);

        assertThat(discovery.best()).isSameAs(fast);
    }

    @Test
    void equalPrioritiesAreOrderedByName() {
        ReactorProvider zulu = provider("zulu", 50, Availability.AVAILABLE);
        ReactorProvider alpha = provider("alpha", 50, Availability.AVAILABLE);
        ReactorDiscovery discovery = new ReactorDiscovery(List.of(zulu, alpha), NOTHING_FORCED);

        assertThat(discovery.best()).isSameAs(alpha);
        assertThat(discovery.all()).containsExactly(alpha, zulu);
    }

    @Test
    void unavailableProvidersAreSkippedEvenWithTheHighestPriority() {
        ReactorDiscovery discovery = new ReactorDiscovery(List.of(broken, portable), NOTHING_FORCED);

        assertThat(discovery.best()).isSameAs(portable);
    }

    @Test
    void noAvailableProviderIsAnErrorThatExplainsEachOne() {
        ReactorDiscovery discovery = new ReactorDiscovery(List.of(broken), NOTHING_FORCED);

        assertThatThrownBy(discovery::best)
                .isInstanceOf(ReactorUnavailableException.class)
                .hasMessageContaining("no reactor backend is available")
                .hasMessageContaining("broken (priority 500): unavailable: native access not enabled");
    }

    @Test
    void noProvidersAtAllSaysWhatToAdd() {
        ReactorDiscovery discovery = new ReactorDiscovery(List.of(), NOTHING_FORCED);

        assertThatThrownBy(discovery::best)
                .isInstanceOf(ReactorUnavailableException.class)
                .hasMessageContaining("katana-backend-nio");
    }

    @Test
    void thePropertyForcesABackendOverABetterOne() {
        ReactorDiscovery discovery = new ReactorDiscovery(List.of(fast, portable),
                settings(Map.of(Reactors.PROPERTY, "portable")));

        assertThat(discovery.best()).isSameAs(portable);
    }

    @Test
    void theEnvironmentForcesABackendWhenThePropertyIsUnset() {
        ReactorDiscovery discovery = new ReactorDiscovery(List.of(fast, portable),
                settings(Map.of(Reactors.ENV, " portable ")));

        assertThat(discovery.best()).isSameAs(portable);
    }

    @Test
    void thePropertyWinsOverTheEnvironment() {
        ReactorDiscovery discovery = new ReactorDiscovery(List.of(fast, portable),
                settings(Map.of(Reactors.PROPERTY, "fast", Reactors.ENV, "portable")));

        assertThat(discovery.best()).isSameAs(fast);
    }

    @Test
    void forcingAnUnavailableBackendFailsAndListsEveryProviderWithItsStatus() {
        ReactorDiscovery discovery = new ReactorDiscovery(List.of(fast, portable, broken),
                settings(Map.of(Reactors.PROPERTY, "broken")));

        assertThatThrownBy(discovery::best)
                .isInstanceOf(ReactorUnavailableException.class)
                .hasMessageContaining("reactor backend 'broken' is unavailable: native access not enabled")
                .hasMessageContaining("broken (priority 500): unavailable: native access not enabled")
                .hasMessageContaining("fast (priority 100): available")
                .hasMessageContaining("portable (priority 10): available");
    }

    @Test
    void forcingAnUnknownBackendFailsAndListsWhatExists() {
        ReactorDiscovery discovery = new ReactorDiscovery(List.of(fast, portable),
                settings(Map.of(Reactors.ENV, "io_uring")));

        assertThatThrownBy(discovery::best)
                .isInstanceOf(ReactorUnavailableException.class)
                .hasMessageContaining("no reactor backend named 'io_uring'")
                .hasMessageContaining("fast (priority 100): available; portable (priority 10): available.");
    }

    @Test
    void namedIgnoresCaseAndSurroundingSpace() {
        ReactorDiscovery discovery = new ReactorDiscovery(List.of(fast, portable), NOTHING_FORCED);

        assertThat(discovery.named(" Portable")).isSameAs(portable);
    }

    @Test
    void theAvailabilityTripleFollowsAvailability() {
        assertThat(fast.isAvailable()).isTrue();
        assertThat(fast.unavailabilityCause()).isNull();
        fast.ensureAvailability();

        assertThat(broken.isAvailable()).isFalse();
        assertThat(broken.unavailabilityCause())
                .isInstanceOf(ReactorUnavailableException.class)
                .hasMessage("broken unavailable: native access not enabled; add --enable-native-access=ALL-UNNAMED");
        assertThatThrownBy(broken::ensureAvailability)
                .isInstanceOf(ReactorUnavailableException.class)
                .hasMessageContaining("native access not enabled");
    }

    @Test
    void anUnavailableBackendMustSayWhy() {
        assertThatThrownBy(() -> Availability.unavailable(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must say why");
    }

    private static UnaryOperator<String> settings(Map<String, String> values) {
        return values::get;
    }
}
