package io.katana.reactor.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SlotTableTest {

    /** A handler that only has a name, to tell registrations apart. */
    private record Named(String name) {}

    private static Named named(String name) {
        return new Named(name);
    }

    @Test
    void aReleasedTokenFindsNothingEvenWhenItsSlotIsReused() {
        SlotTable<Named> table = new SlotTable<>(4);
        Named old = named("old");
        long stale = table.add(old);
        assertThat(table.get(stale)).isSameAs(old);
        table.remove(stale);
        assertThat(table.get(stale)).isNull();

        Named fresh = named("fresh");
        long current = table.add(fresh);
        assertThat((int) current).as("same slot reused").isEqualTo((int) stale);
        assertThat(current).isNotEqualTo(stale);
        assertThat(table.get(stale)).as("the old generation never reaches the new handler").isNull();
        assertThat(table.get(current)).isSameAs(fresh);
    }

    @Test
    void removingTwiceOrAStaleTokenLeavesTheCurrentRegistrationAlone() {
        SlotTable<Named> table = new SlotTable<>(4);
        long stale = table.add(named("a"));
        table.remove(stale);
        Named b = named("b");
        long current = table.add(b);
        table.remove(stale);
        assertThat(table.get(current)).isSameAs(b);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void growsAndKeepsEveryTokenDistinct() {
        SlotTable<Named> table = new SlotTable<>(4);
        Set<Long> tokens = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            tokens.add(table.add(named("h" + i)));
        }
        assertThat(tokens).hasSize(1000);
        assertThat(table.size()).isEqualTo(1000);
        assertThat(table.snapshot()).hasSize(1000);
        for (long token : tokens) {
            table.remove(token);
        }
        assertThat(table.size()).isZero();
        assertThat(table.snapshot()).isEmpty();
    }

    @Test
    void replacePointsALiveTokenElsewhereAndRefusesADeadOne() {
        SlotTable<Named> table = new SlotTable<>(4);
        long token = table.add(named("attempt"));
        Named connection = named("connection");
        table.replace(token, connection);
        assertThat(table.get(token)).isSameAs(connection);
        table.remove(token);
        assertThatThrownBy(() -> table.replace(token, connection)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theTopBitsAreTheBackendsTagAndLookupsIgnoreThem() {
        SlotTable<Named> table = new SlotTable<>(4);
        Named a = named("a");
        long token = table.add(a);
        long tagged = token | (0x5aL << SlotTable.TAG_SHIFT);
        assertThat(table.get(tagged)).isSameAs(a);
        table.remove(tagged);
        assertThat(table.get(token)).isNull();
    }

    @Test
    void tokensThatWereNeverIssuedFindNothing() {
        SlotTable<Named> table = new SlotTable<>(4);
        table.add(named("a"));
        assertThat(table.get(7)).isNull();
        assertThat(table.get(-1L)).isNull();
        assertThat(table.get(1L << 32)).isNull();
    }
}
