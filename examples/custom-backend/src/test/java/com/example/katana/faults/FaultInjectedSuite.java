package com.example.katana.faults;

import io.katana.conformance.ConformanceSuite;
import io.katana.reactor.spi.ReactorProvider;

/**
 * The conformance suite against the {@code faulty} backend with the fault switched on by {@link
 * FaultyReactorProvider#inject}. Named so that surefire does not run it by itself: {@link
 * ConformanceFaultsTest} runs chosen checks of it once per fault.
 */
public class FaultInjectedSuite extends ConformanceSuite {

    /** Made by JUnit. */
    public FaultInjectedSuite() {}

    @Override
    protected ReactorProvider serverProvider() {
        return FaultyReactorProvider.forActiveFault();
    }
}
