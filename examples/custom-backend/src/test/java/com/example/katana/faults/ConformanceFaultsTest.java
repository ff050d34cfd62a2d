package com.example.katana.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.conformance.ConformanceSuite;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Proves the conformance suite catches every fault in the {@link Fault} catalogue: for each fault,
 * the checks named by {@link Fault#catchers()} run against the {@code faulty} backend with the fault
 * on, and at least one must fail; with no fault, every one of those checks must pass. The results
 * are written to {@code target/conformance-faults.md} (the table in {@code docs/CONFORMANCE-FAULTS.md}).
 */
class ConformanceFaultsTest {

    private static final Map<Fault, String> RESULTS = new TreeMap<>();

    @Test
    void withoutAFaultTheDecoratedBackendPassesEveryCatchingCheck() {
        List<String> checks = checksMatching(Arrays.stream(Fault.values())
                .map(Fault::catchers).filter(regex -> !regex.isEmpty()).collect(Collectors.joining("|")));
        Outcome outcome = run(Fault.NONE, checks);
        RESULTS.put(Fault.NONE, outcome.passed().size() + " of " + checks.size() + " checks passed, "
                + outcome.failed().size() + " failed, " + outcome.skipped().size() + " skipped; delegate "
                + FaultyReactorProvider.delegate().name());
        assertThat(outcome.failed()).as("checks failing against the decorated backend without any fault").isEmpty();
        assertThat(outcome.passed()).as("checks that passed").isNotEmpty();
    }

    @TestFactory
    Stream<DynamicTest> everyFaultInTheCatalogueFailsTheSuite() {
        return Arrays.stream(Fault.values()).filter(f -> f != Fault.NONE)
                .map(fault -> DynamicTest.dynamicTest(fault.name(), () -> assertCaught(fault)));
    }

    private static void assertCaught(Fault fault) {
        List<String> checks = checksMatching(fault.catchers());
        if (checks.isEmpty()) {
            RESULTS.put(fault, "NOT RUN: no check named like /" + fault.catchers() + "/");
            throw new AssertionError("no conformance check matches /" + fault.catchers() + "/ for " + fault);
        }
        // One failing check is the proof; checks after it would only wait out their own timeouts.
        Outcome outcome = new Outcome(new ArrayList<>(), new TreeMap<>(), new ArrayList<>());
        List<String> ran = new ArrayList<>();
        for (String check : checks) {
            Outcome one = run(fault, List.of(check));
            ran.add(check);
            outcome.passed().addAll(one.passed());
            outcome.failed().putAll(one.failed());
            outcome.skipped().addAll(one.skipped());
            if (!one.failed().isEmpty()) {
                break;
            }
        }
        boolean caught = !outcome.failed().isEmpty();
        RESULTS.put(fault, (caught ? "caught by " + outcome.failed().entrySet().stream()
                        .map(e -> e.getKey() + " (" + brief(e.getValue()) + ")").collect(Collectors.joining(", "))
                : "NOT CAUGHT") + " (ran " + String.join(", ", ran) + " of " + checks.size() + ")");
        assertThat(outcome.failed().keySet())
                .as("checks failing with %s injected (%s); ran %s, skipped %s", fault, fault.injection(), ran,
                        outcome.skipped())
                .isNotEmpty();
    }

    /** The first line of a failure, shortened for the results table. */
    private static String brief(String failure) {
        String line = failure.replaceAll("\\s+", " ").replace("org.opentest4j.AssertionFailedError: ", "")
                .replace("java.lang.AssertionError: ", "");
        return line.length() <= 150 ? line : line.substring(0, 147) + "...";
    }

    /** The suite's checks whose method names match {@code regex}, in name order. */
    private static List<String> checksMatching(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return Arrays.stream(ConformanceSuite.class.getMethods())
                .filter(m -> m.isAnnotationPresent(Test.class))
                .map(Method::getName)
                .filter(name -> pattern.matcher(name).matches())
                .sorted().distinct().toList();
    }

    record Outcome(List<String> passed, Map<String, String> failed, List<String> skipped) {}

    private static Outcome run(Fault fault, List<String> checks) {
        FaultyReactorProvider.inject(fault);
        FaultInjectedSuite.selectedByTheFaultProof(true);
        List<String> passed = new ArrayList<>();
        Map<String, String> failed = new TreeMap<>();
        List<String> skipped = new ArrayList<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                name(test).ifPresent(n -> skipped.add(n + " (" + reason + ")"));
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                name(test).ifPresent(n -> {
                    switch (result.getStatus()) {
                        case SUCCESSFUL -> passed.add(n);
                        case ABORTED -> skipped.add(n + " (" + result.getThrowable().map(Throwable::getMessage).orElse("") + ")");
                        case FAILED -> failed.put(n, result.getThrowable().map(Throwable::toString).orElse("failed"));
                    }
                });
            }

            private java.util.Optional<String> name(TestIdentifier test) {
                return test.getSource().filter(MethodSource.class::isInstance)
                        .map(s -> ((MethodSource) s).getMethodName());
            }
        };
        try (LauncherSession session = LauncherFactory.openSession()) {
            Launcher launcher = session.getLauncher();
            LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
            for (String check : checks) {
                request.selectors(DiscoverySelectors.selectMethod(FaultInjectedSuite.class, check));
            }
            launcher.execute(request.build(), listener);
        } finally {
            FaultInjectedSuite.selectedByTheFaultProof(false);
            FaultyGroup.closeLeakedSockets();
            FaultyReactorProvider.inject(Fault.NONE);
        }
        return new Outcome(passed, failed, skipped);
    }

    @AfterAll
    static void writeResults() throws IOException {
        StringBuilder table = new StringBuilder("| fault | how it is injected | result |\n|---|---|---|\n");
        RESULTS.forEach((fault, result) -> table.append("| `").append(fault).append("` | ")
                .append(fault.injection()).append(" | ").append(result.replace("|", "\\|")).append(" |\n"));
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("conformance-faults.md"), table);
        }
        System.out.println(table);
    }
}
