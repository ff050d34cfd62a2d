package io.katana.conformance;

import java.io.PrintStream;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Counts the checks JUnit ran, the way JUnit counts them (an aborted check, one whose assumption
 * failed, counts as skipped), and prints one line per failed check with its reason.
 *
 * <p>Threading: JUnit calls a listener from the threads that run the tests; the counters are
 * guarded by the instance lock.
 */
final class CheckTally implements TestExecutionListener {

    private final PrintStream out;
    private String label = "";
    private int passed;
    private int failed;
    private int skipped;

    CheckTally(PrintStream out) {
        this.out = out;
    }

    /** Names the backends of the runs that follow, in failure lines. */
    synchronized void label(String value) {
        label = value;
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier test, String reason) {
        if (test.isTest()) {
            skipped++;
        }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier test, TestExecutionResult result) {
        switch (result.getStatus()) {
            case SUCCESSFUL -> {
                if (test.isTest()) passed++;
            }
            case ABORTED -> {
                if (test.isTest()) skipped++;
            }
            case FAILED -> {
                failed++;
                out.println("FAILED [" + label + "] " + test.getDisplayName() + ": "
                        + result.getThrowable().map(CheckTally::reason).orElse("no reason given"));
            }
        }
    }

    /** Records a failure that happened outside JUnit, such as an unknown backend name. */
    synchronized void failOutside(String what) {
        failed++;
        out.println("FAILED [" + label + "] " + what);
    }

    synchronized int passed() {
        return passed;
    }

    synchronized int failed() {
        return failed;
    }

    synchronized int skipped() {
        return skipped;
    }

    /** The summary line: {@code conformance: N passed, N failed, N skipped}. */
    synchronized String summary() {
        return "conformance: " + passed + " passed, " + failed + " failed, " + skipped + " skipped";
    }

    /**
     * The failure's message on one line (AssertJ spreads expected and actual over several), cut at
     * 500 characters, prefixed with the exception's type unless it is an assertion.
     */
    static String reason(Throwable failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage().strip().replaceAll("\\s+", " ");
        if (message.length() > 500) {
            message = message.substring(0, 500) + "...";
        }
        if (failure instanceof AssertionError && !message.isEmpty()) {
            return message;
        }
        return failure.getClass().getName() + (message.isEmpty() ? "" : ": " + message);
    }
}
