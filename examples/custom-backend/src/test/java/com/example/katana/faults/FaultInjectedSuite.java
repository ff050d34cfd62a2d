package com.example.katana.faults;

import io.katana.conformance.ConformanceSuite;
import io.katana.reactor.spi.ReactorProvider;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The conformance suite against the {@code faulty} backend with the fault switched on by {@link
 * FaultyReactorProvider#inject}. Named so that surefire does not run it by itself: {@link
 * ConformanceFaultsTest} runs chosen checks of it once per fault, and it is disabled when anything
 * else selects it (a build run with {@code -Dtest='!Something'} includes every class).
 */
@EnabledIf("com.example.katana.faults.FaultInjectedSuite#selectedByTheFaultProof")
public class FaultInjectedSuite extends ConformanceSuite {

    /** Made by JUnit. */
    public FaultInjectedSuite() {}

    @Override
    protected ReactorProvider serverProvider() {
        return FaultyReactorProvider.forActiveFault();
    }

    private static volatile boolean selectedByTheFaultProof;

    /** Set by {@link ConformanceFaultsTest} around its runs. */
    static void selectedByTheFaultProof(boolean value) {
        selectedByTheFaultProof = value;
    }

    /** {@return whether {@link ConformanceFaultsTest} is running this suite}, for {@code @EnabledIf}. */
    static boolean selectedByTheFaultProof() {
        return selectedByTheFaultProof;
    }
}
