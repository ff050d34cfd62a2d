package io.katana.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.http.HttpHandler;
import io.katana.http.HttpMethod;
import io.katana.http.RouteOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScopeTest {

    private static final HttpHandler OK = (req, res) -> res.send();

    @Test
    void routesTakeTheirGroupsDefaultsWhereTheirOwnOptionsLeaveASettingUnset() {
        RouteTable table = new RouteTable();
        Scope root = Scope.root(table);
        Scope reports = root.child("/reports/");
        reports.defaults(RouteOptions.DEFAULT.withRequestTimeout(Duration.ofSeconds(30)));
        Scope nested = reports.child("/live");
        reports.route(HttpMethod.GET, "/", RouteOptions.DEFAULT, OK);
        reports.route(HttpMethod.GET, "/quick", RouteOptions.DEFAULT.withRequestTimeout(Duration.ofSeconds(1)), OK);
        nested.route(HttpMethod.GET, "/{id}", RouteOptions.DEFAULT, OK);
        root.route(HttpMethod.GET, "/", RouteOptions.DEFAULT, OK);

        assertThat(table.routes()).extracting(Route::pattern)
                .containsExactly("/reports", "/reports/quick", "/reports/live/{id}", "/");
        assertThat(table.routes()).extracting(route -> route.options().requestTimeout().orElse(null))
                .containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(30), null);
    }
}
