package io.katana.reactor.uring;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Connections collected during one turn of the loop, each to be visited once after it. What a visit
 * adds (a connection that must be visited again) waits for the next turn, so a visit cannot loop
 * forever inside one. Two arrays take turns collecting and being visited: a turn allocates nothing.
 *
 * <p><b>Threading:</b> loop only.
 */
final class ConnectionRound {
    private UringConnection[] collecting = new UringConnection[16];
    private UringConnection[] visiting = new UringConnection[16];
    private int count;

    void add(UringConnection connection) {
        if (count == collecting.length) {
            collecting = Arrays.copyOf(collecting, count * 2);
        }
        collecting[count++] = connection;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** {@return whether a collected connection passes {@code test}} */
    boolean any(Predicate<UringConnection> test) {
        for (int i = 0; i < count; i++) {
            if (test.test(collecting[i])) {
                return true;
            }
        }
        return false;
    }

    /** Hands every collected connection to {@code visit}, in order, and forgets it. */
    void visitAll(Consumer<UringConnection> visit) {
        UringConnection[] batch = collecting;
        int size = count;
        collecting = visiting;
        count = 0;
        try {
            for (int i = 0; i < size; i++) {
                visit.accept(batch[i]);
            }
        } finally {
            Arrays.fill(batch, 0, size, null); // after a throw too: the array collects next turn
            visiting = batch;
        }
    }
}
