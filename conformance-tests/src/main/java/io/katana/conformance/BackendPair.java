package io.katana.conformance;

import io.katana.reactor.Reactors;
import io.katana.reactor.spi.ReactorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The backends one run of the suite uses: {@code server} for reactor servers (and for checks with a
 * blocking client), {@code client} for reactor clients. The same provider twice is a single-backend
 * run; two different ones are a mixed pair, which runs only the checks tagged {@link
 * ConformanceSuite#BOTH_SIDES}.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param server the backend of the servers
 * @param client the backend of the clients
 */
public record BackendPair(ReactorProvider server, ReactorProvider client) {

    /**
     * Checks that both providers are given.
     *
     * @param server the backend of the servers
     * @param client the backend of the clients
     */
    public BackendPair {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(client, "client");
    }

    /**
     * {@return a single-backend run of {@code provider}}
     *
     * @param provider the backend on both sides
     */
    public static BackendPair of(ReactorProvider provider) {
        return new BackendPair(provider, provider);
    }

    /**
     * {@return whether server and client are different backends} A mixed pair runs only the {@link
     * ConformanceSuite#BOTH_SIDES} checks.
     */
    public boolean mixed() {
        return !server.name().equals(client.name());
    }

    /**
     * {@return every provider {@link Reactors#all()} finds, each alone (unavailable ones too: their
     * checks are skipped with the reason), then every ordered pair of two different available
     * providers}
     */
    public static List<BackendPair> discover() {
        return every(Reactors.all());
    }

    /**
     * {@return {@code providers} each alone, then every ordered pair of two different available ones}
     *
     * @param providers the backends to combine, in the order their runs should come
     */
    public static List<BackendPair> every(List<ReactorProvider> providers) {
        List<BackendPair> pairs = new ArrayList<>();
        for (ReactorProvider provider : providers) {
            pairs.add(of(provider));
        }
        for (ReactorProvider server : providers) {
            for (ReactorProvider client : providers) {
                if (server != client && server.isAvailable() && client.isAvailable()
                        && !server.name().equals(client.name())) {
                    pairs.add(new BackendPair(server, client));
                }
            }
        }
        return pairs;
    }

    /** {@code nio}, or {@code epoll-ffm server x nio client} for a mixed pair. */
    @Override
    public String toString() {
        return mixed() ? server.name() + " server x " + client.name() + " client" : server.name();
    }
}
