package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RouteOptionsTest {

    @Test
    void defaultOverridesNothing() {
        assertThat(RouteOptions.DEFAULT.requestTimeout()).isEmpty();
    }

    @Test
    void withRequestTimeoutReturnsACopyAndLeavesTheOriginal() {
        RouteOptions fast = RouteOptions.DEFAULT.withRequestTimeout(Duration.ofMillis(250));

        assertThat(fast.requestTimeout()).contains(Duration.ofMillis(250));
        assertThat(RouteOptions.DEFAULT.requestTimeout()).isEmpty();
        assertThat(fast).isEqualTo(RouteOptions.DEFAULT.withRequestTimeout(Duration.ofMillis(250))).isNotEqualTo(RouteOptions.DEFAULT);
    }

    @Test
    void zeroMeansNoTimeoutAndNegativeIsRefusedSayingWhy() {
        assertThat(RouteOptions.DEFAULT.withRequestTimeout(Duration.ZERO).requestTimeout()).contains(Duration.ZERO);
        assertThatThrownBy(() -> RouteOptions.DEFAULT.withRequestTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requestTimeout must be zero (none) or positive");
    }

    @Test
    void builderRefusesMissingOptions() {
        assertThatThrownBy(() -> HttpServer.builder().route(HttpMethod.GET, "/", null, (req, res) -> res.send()))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("options");
    }
}
