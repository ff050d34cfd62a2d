package io.katana.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BackendPairTest {

    @Test
    void everyProviderAloneThenEveryOrderedPairOfAvailableOnes() {
        FixedProvider epoll = FixedProvider.available("epoll-ffm");
        FixedProvider nio = FixedProvider.available("nio");
        FixedProvider broken = FixedProvider.unavailable("broken", "no such syscall");

        List<BackendPair> pairs = BackendPair.every(List.of(epoll, nio, broken));

        assertThat(pairs).extracting(BackendPair::toString).containsExactly(
                "epoll-ffm", "nio", "broken", "epoll-ffm server x nio client", "nio server x epoll-ffm client");
        assertThat(pairs).extracting(BackendPair::mixed).containsExactly(false, false, false, true, true);
    }

    @Test
    void oneProviderMakesOneSingleRun() {
        FixedProvider nio = FixedProvider.available("nio");

        assertThat(BackendPair.every(List.of(nio))).containsExactly(BackendPair.of(nio));
    }
}
