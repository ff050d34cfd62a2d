package io.katana.reactor.nio;

import io.katana.conformance.ConformanceSuite;
import io.katana.reactor.spi.ReactorProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Every conformance check against the {@code nio} backend, as both server and client. */
class NioConformanceTest extends ConformanceSuite {

    @Override
    protected ReactorProvider serverProvider() {
        return new NioReactorProvider();
    }

    /**
     * Known failure on this branch: a nio connect still waiting for its answer when the group shuts
     * down is never failed and its socket stays open (epoll's attempts close on termination). The
     * move of connect and termination code into the SPI (branch {@code spi}) fixes it; delete this
     * override when merging that.
     */
    @Override
    @Test
    public void pendingConnectsFailWhenTheGroupShutsDown() throws Exception {
        Assumptions.abort(KNOWN_NIO_FAILURE);
    }

    /** Why the pending-connect check is skipped on nio for now; shared by the suites over nio. */
    static final String KNOWN_NIO_FAILURE = "known nio failure until the spi branch is merged: connects pending "
            + "when the group shuts down are never failed and keep their sockets";
}
