package io.katana.http.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Every route registered on a server, each with the scope (server or group) it was registered in.
 *
 * <p><b>Threading:</b> filled by one thread while the server is built, then only read.
 */
public final class RouteTable {

    private final List<Route> routes = new ArrayList<>();
    private final List<Scope> scopes = new ArrayList<>();

    /** @throws IllegalArgumentException if the route is malformed or a duplicate, naming it */
    void add(Route route, Scope scope) {
        List<Route> all = new ArrayList<>(routes);
        all.add(route);
        new Router(all); // fail here, naming the route, rather than when the server is built
        routes.add(route);
        scopes.add(scope);
    }

    List<Route> routes() {
        return routes;
    }

    Scope scopeOf(int index) {
        return scopes.get(index);
    }
}
