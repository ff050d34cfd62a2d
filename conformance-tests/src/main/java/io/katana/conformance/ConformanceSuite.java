package io.katana.conformance;

import io.katana.reactor.spi.ReactorProvider;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The conformance suite every Katana reactor backend must pass: checks of the public reactor
 * API, as ordinary JUnit tests. A backend's test module extends it with one class:
 *
 * <pre>{@code
 * class NioConformanceTest extends ConformanceSuite {
 *     @Override
 *     protected ReactorProvider serverProvider() {
 *         return new NioReactorProvider();
 *     }
 * }
 * }</pre>
 *
 * <p>{@link #serverProvider()} opens the groups that listen; {@link #clientProvider()}, the same
 * backend unless overridden, opens the groups that connect. Where the other end is a blocking
 * {@code java.net} peer (a client that resets, a server that never accepts), only the reactor end's
 * backend is used. With two different backends the run is a mixed pair and only the checks tagged
 * {@link #BOTH_SIDES} (a reactor server and a reactor client) run; the rest are skipped, as the
 * single-backend runs cover them. A backend that is unavailable here has every check skipped with
 * its reason.
 *
 * <p>Each check opens its own groups and closes them, bounded, when it ends, whatever happened;
 * every wait in a check is bounded too, and a check that still runs after {@value #CHECK_TIMEOUT_SECONDS}
 * seconds fails, so a broken backend fails checks instead of hanging the build. After each check,
 * where {@code /proc/self/fd} exists, every socket, pipe and event descriptor the check opened must
 * be closed. Checks talk only to sockets they opened on the loopback interface.
 *
 * <p>Threading: JUnit runs each check on one thread (the timeout's helper thread). The checks run
 * one at a time and apart from other test classes even where JUnit's parallel execution is on,
 * since they count the process's file descriptors and measure timer and CPU behaviour.
 */
@Timeout(value = ConformanceSuite.CHECK_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS,
        threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@Execution(ExecutionMode.SAME_THREAD)
@Isolated
public abstract class ConformanceSuite {

    /** Tag of the checks with a reactor on both ends, the only ones a mixed pair runs. */
    public static final String BOTH_SIDES = "both-sides";

    /** How long one check may run before it fails as hung. */
    public static final long CHECK_TIMEOUT_SECONDS = 120;

    private Harness harness;
    private Map<Integer, String> descriptorsBefore;

    /** For subclasses. */
    protected ConformanceSuite() {}

    /** The backend under test: it serves, and it connects unless {@link #clientProvider()} says otherwise. */
    protected abstract ReactorProvider serverProvider();

    /** The backend whose groups connect to the servers; the server backend unless overridden. */
    protected ReactorProvider clientProvider() {
        return serverProvider();
    }

    @BeforeEach
    protected final void openHarness(TestInfo check) {
        ReactorProvider server = Objects.requireNonNull(serverProvider(), "serverProvider() returned null");
        ReactorProvider client = Objects.requireNonNull(clientProvider(), "clientProvider() returned null");
        assumeAvailable(server);
        assumeAvailable(client);
        boolean mixed = !server.name().equals(client.name());
        Assumptions.assumeFalse(mixed && !check.getTags().contains(BOTH_SIDES),
                () -> "a mixed pair (" + server.name() + " server, " + client.name() + " client) runs only the checks "
                        + "with a reactor on both sides; the single-backend runs cover this one");
        FileDescriptors.warmUp(server);
        FileDescriptors.warmUp(client);
        descriptorsBefore = FileDescriptors.snapshot();
        harness = new Harness(server, client);
    }

    @AfterEach
    protected final void closeHarness() {
        Harness closing = harness;
        harness = null;
        if (closing == null) {
            return;
        }
        closing.close();
        if (FileDescriptors.supported()) {
            FileDescriptors.assertAllClosedSince(descriptorsBefore, Duration.ofSeconds(5),
                    "after the check ended, its groups shut down and its peers closed");
        }
    }

    private static void assumeAvailable(ReactorProvider provider) {
        var availability = provider.availability();
        Assumptions.assumeTrue(availability.available(),
                () -> provider.name() + " is unavailable here: " + availability.reason());
    }

    private Harness harness() {
        if (harness == null) {
            throw new IllegalStateException("no check is running");
        }
        return harness;
    }

    // ---------------------------------------------------------------- Data: bytes arrive whole, in order, in any split

    @Test
    @Tag(BOTH_SIDES)
    public void echoesRandomBytesInRandomSplitsBetweenReactors() throws Exception {
        new DataTransferChecks(harness()).echoesRandomBytesInRandomSplitsBetweenReactors();
    }

    @Test
    public void echoesRandomSplitsToABlockingPeer() throws Exception {
        new DataTransferChecks(harness()).echoesRandomSplitsToABlockingPeer();
    }

    @Test
    public void echoesThroughABlockingServerFromAReactorClient() throws Exception {
        new DataTransferChecks(harness()).echoesThroughABlockingServerFromAReactorClient();
    }

    @Test
    public void gatheringWritesArriveWholeAndInOrder() throws Exception {
        new DataTransferChecks(harness()).gatheringWritesArriveWholeAndInOrder();
    }

    @Test
    public void sendsNothingBeforeFlush() throws Exception {
        new DataTransferChecks(harness()).sendsNothingBeforeFlush();
    }

    @Test
    public void writeCopiesTheCallersBuffer() throws Exception {
        new DataTransferChecks(harness()).writeCopiesTheCallersBuffer();
    }

    @Test
    public void writeAcceptsEveryKindOfBuffer() throws Exception {
        new DataTransferChecks(harness()).writeAcceptsEveryKindOfBuffer();
    }

    @Test
    public void writesFromOtherThreadsKeepEachThreadsOrder() throws Exception {
        new DataTransferChecks(harness()).writesFromOtherThreadsKeepEachThreadsOrder();
    }

    @Test
    public void writesLargeBuffersFromAnotherThread() throws Exception {
        new DataTransferChecks(harness()).writesLargeBuffersFromAnotherThread();
    }

    @Test
    public void echoesWithTinyReadBufferAndChunks() throws Exception {
        new DataTransferChecks(harness()).echoesWithTinyReadBufferAndChunks();
    }

    // ---------------------------------------------------------------- Ending connections: half-close, reset, close, abort

    @Test
    public void shutdownOutputSendsFinAndKeepsReading() throws Exception {
        new CloseChecks(harness()).shutdownOutputSendsFinAndKeepsReading();
    }

    @Test
    public void peerHalfCloseFiresOnInputClosedAndWritingGoesOn() throws Exception {
        new CloseChecks(harness()).peerHalfCloseFiresOnInputClosedAndWritingGoesOn();
    }

    @Test
    public void endOfStreamAfterABurstThatOutlastsTheReadBudgetAndPauses() throws Exception {
        new CloseChecks(harness()).endOfStreamAfterABurstThatOutlastsTheReadBudgetAndPauses();
    }

    @Test
    public void defaultOnInputClosedClosesAfterQueuedWrites() throws Exception {
        new CloseChecks(harness()).defaultOnInputClosedClosesAfterQueuedWrites();
    }

    @Test
    @Tag(BOTH_SIDES)
    public void halfCloseBetweenReactors() throws Exception {
        new CloseChecks(harness()).halfCloseBetweenReactors();
    }

    @Test
    public void peerResetIsReportedToOnClose() throws Exception {
        new CloseChecks(harness()).peerResetIsReportedToOnClose();
    }

    @Test
    public void writesAfterPeerResetNeitherHangNorThrow() throws Exception {
        new CloseChecks(harness()).writesAfterPeerResetNeitherHangNorThrow();
    }

    @Test
    public void closingTwiceIsHarmless() throws Exception {
        new CloseChecks(harness()).closingTwiceIsHarmless();
    }

    @Test
    public void closeSendsEverythingQueuedFirst() throws Exception {
        new CloseChecks(harness()).closeSendsEverythingQueuedFirst();
    }

    @Test
    public void abortDropsQueuedBytesAndClosesAtOnce() throws Exception {
        new CloseChecks(harness()).abortDropsQueuedBytesAndClosesAtOnce();
    }

    @Test
    public void writesAfterCloseAreDiscardedWithoutError() throws Exception {
        new CloseChecks(harness()).writesAfterCloseAreDiscardedWithoutError();
    }

    @Test
    public void writesAfterShutdownOutputAreDiscarded() throws Exception {
        new CloseChecks(harness()).writesAfterShutdownOutputAreDiscarded();
    }

    @Test
    public void writesRacingACloseArriveAsUnbrokenPrefixes() throws Exception {
        new CloseChecks(harness()).writesRacingACloseArriveAsUnbrokenPrefixes();
    }

    // ---------------------------------------------------------------- Connecting

    @Test
    public void refusedConnectFailsWithConnectException() throws Exception {
        new ConnectChecks(harness()).refusedConnectFailsWithConnectException();
    }

    @Test
    public void unansweredConnectTimesOut() throws Exception {
        new ConnectChecks(harness()).unansweredConnectTimesOut();
    }

    @Test
    @Tag(BOTH_SIDES)
    public void connectCompletesAfterOnOpen() throws Exception {
        new ConnectChecks(harness()).connectCompletesAfterOnOpen();
    }

    @Test
    @Tag(BOTH_SIDES)
    public void connectsFromReactorThreads() throws Exception {
        new ConnectChecks(harness()).connectsFromReactorThreads();
    }

    // ---------------------------------------------------------------- Flow control: pause and resume, kept input, water marks

    @Test
    public void pauseStopsReadsAndResumeDeliversTheRest() throws Exception {
        new FlowControlChecks(harness()).pauseStopsReadsAndResumeDeliversTheRest();
    }

    @Test
    public void resumePresentsKeptBytesWithoutNewInput() throws Exception {
        new FlowControlChecks(harness()).resumePresentsKeptBytesWithoutNewInput();
    }

    @Test
    public void unconsumedBytesComeBackWithNewerBytes() throws Exception {
        new FlowControlChecks(harness()).unconsumedBytesComeBackWithNewerBytes();
    }

    @Test
    public void pauseReadingPushesBackOnThePeer() throws Exception {
        new FlowControlChecks(harness()).pauseReadingPushesBackOnThePeer();
    }

    @Test
    public void togglingPauseAndResumeLosesNoBytes() throws Exception {
        new FlowControlChecks(harness()).togglingPauseAndResumeLosesNoBytes();
    }

    @Test
    public void slowReaderOf100MiBStaysWithinTheWaterMarks() throws Exception {
        new FlowControlChecks(harness()).slowReaderOf100MiBStaysWithinTheWaterMarks();
    }

    @Test
    public void pendingOutboundBytesCountsWritesOnTheirWay() throws Exception {
        new FlowControlChecks(harness()).pendingOutboundBytesCountsWritesOnTheirWay();
    }

    @Test
    public void aPeerThatNeverReadsDoesNotStallTheReactor() throws Exception {
        new FlowControlChecks(harness()).aPeerThatNeverReadsDoesNotStallTheReactor();
    }

    @Test
    @Tag(BOTH_SIDES)
    public void pausedReactorClientPushesBackOnReactorServer() throws Exception {
        new FlowControlChecks(harness()).pausedReactorClientPushesBackOnReactorServer();
    }

    // ---------------------------------------------------------------- Failures in handlers and tasks; closing from inside callbacks

    @Test
    public void throwingOnReadClosesOnlyThatConnection() throws Exception {
        new FailureChecks(harness()).throwingOnReadClosesOnlyThatConnection();
    }

    @Test
    public void throwingOnOpenClosesOnlyThatConnection() throws Exception {
        new FailureChecks(harness()).throwingOnOpenClosesOnlyThatConnection();
    }

    @Test
    public void throwingOnInputClosedClosesWithThatCause() throws Exception {
        new FailureChecks(harness()).throwingOnInputClosedClosesWithThatCause();
    }

    @Test
    public void throwingOnCloseIsContained() throws Exception {
        new FailureChecks(harness()).throwingOnCloseIsContained();
    }

    @Test
    public void throwingTasksAndTimersDoNotStopTheReactor() throws Exception {
        new FailureChecks(harness()).throwingTasksAndTimersDoNotStopTheReactor();
    }

    @Test
    public void closeInsideOnOpen() throws Exception {
        new FailureChecks(harness()).closeInsideOnOpen();
    }

    @Test
    public void abortInsideOnOpen() throws Exception {
        new FailureChecks(harness()).abortInsideOnOpen();
    }

    @Test
    public void closeInsideOnRead() throws Exception {
        new FailureChecks(harness()).closeInsideOnRead();
    }

    @Test
    public void abortInsideOnRead() throws Exception {
        new FailureChecks(harness()).abortInsideOnRead();
    }

    // ---------------------------------------------------------------- Reactors as executors

    @Test
    public void reactorsKnowTheirThreadsAndGroup() throws Exception {
        new TaskChecks(harness()).reactorsKnowTheirThreadsAndGroup();
    }

    @Test
    public void executeWakesASleepingReactor() throws Exception {
        new TaskChecks(harness()).executeWakesASleepingReactor();
    }

    @Test
    public void executeFromEightThreadsKeepsEachProducersOrder() throws Exception {
        new TaskChecks(harness()).executeFromEightThreadsKeepsEachProducersOrder();
    }

    // ---------------------------------------------------------------- Timers

    @Test
    public void timersFireInDeadlineOrderOnTheReactor() throws Exception {
        new TimerChecks(harness()).timersFireInDeadlineOrderOnTheReactor();
    }

    @Test
    public void cancelledTimersNeverRun() throws Exception {
        new TimerChecks(harness()).cancelledTimersNeverRun();
    }

    @Test
    public void tenThousandTimersAllFireOnceAndNeverEarly() throws Exception {
        new TimerChecks(harness()).tenThousandTimersAllFireOnceAndNeverEarly();
    }

    @Test
    public void timersAreAccurateToATick() throws Exception {
        new TimerChecks(harness()).timersAreAccurateToATick();
    }

    @Test
    public void timersBeyondOneWheelTurnDoNotFireEarly() throws Exception {
        new TimerChecks(harness()).timersBeyondOneWheelTurnDoNotFireEarly();
    }

    // ---------------------------------------------------------------- Shutdown

    @Test
    public void gracefulShutdownDrainsQueuedWrites() throws Exception {
        new ShutdownChecks(harness()).gracefulShutdownDrainsQueuedWrites();
    }

    @Test
    public void shutdownStopsListenersAndThreads() throws Exception {
        new ShutdownChecks(harness()).shutdownStopsListenersAndThreads();
    }

    @Test
    public void shutdownAbortsConnectionsThatDoNotDrainInTime() throws Exception {
        new ShutdownChecks(harness()).shutdownAbortsConnectionsThatDoNotDrainInTime();
    }

    @Test
    public void executeAfterShutdownIsRejected() throws Exception {
        new ShutdownChecks(harness()).executeAfterShutdownIsRejected();
    }

    // ---------------------------------------------------------------- Listeners

    @Test
    public void listenerReportsTheActualPortForPortZero() throws Exception {
        new ListenerChecks(harness()).listenerReportsTheActualPortForPortZero();
    }

    @Test
    public void closingAListenerKeepsItsConnections() throws Exception {
        new ListenerChecks(harness()).closingAListenerKeepsItsConnections();
    }

    @Test
    public void reusePortListenerServesAndSharesItsPort() throws Exception {
        new ListenerChecks(harness()).reusePortListenerServesAndSharesItsPort();
    }

    @Test
    public void listeningOnAPortInUseFailsWithIOException() throws Exception {
        new ListenerChecks(harness()).listeningOnAPortInUseFailsWithIOException();
    }

    @Test
    public void maxConnectionsRefusesTheSurplus() throws Exception {
        new ListenerChecks(harness()).maxConnectionsRefusesTheSurplus();
    }

    @Test
    public void acceptedConnectionsAreSpreadOverTheReactors() throws Exception {
        new ListenerChecks(harness()).acceptedConnectionsAreSpreadOverTheReactors();
    }

    // ---------------------------------------------------------------- The handler and connection contract

    @Test
    @Tag(BOTH_SIDES)
    public void callbacksComeInOrderOpenFirstCloseLastOnce() throws Exception {
        new ContractChecks(harness()).callbacksComeInOrderOpenFirstCloseLastOnce();
    }

    @Test
    @Tag(BOTH_SIDES)
    public void everyCallbackRunsOnTheConnectionsReactor() throws Exception {
        new ContractChecks(harness()).everyCallbackRunsOnTheConnectionsReactor();
    }

    @Test
    public void attachmentsAreKeptAndSeenFromAnyThread() throws Exception {
        new ContractChecks(harness()).attachmentsAreKeptAndSeenFromAnyThread();
    }

    @Test
    @Tag(BOTH_SIDES)
    public void addressesMatchBothEnds() throws Exception {
        new ContractChecks(harness()).addressesMatchBothEnds();
    }

    @Test
    @Tag(BOTH_SIDES)
    public void connectionIdsAreUniqueAndNeverReused() throws Exception {
        new ContractChecks(harness()).connectionIdsAreUniqueAndNeverReused();
    }

    @Test
    @Tag(BOTH_SIDES)
    public void isOpenFollowsTheLifecycle() throws Exception {
        new ContractChecks(harness()).isOpenFollowsTheLifecycle();
    }

    // ---------------------------------------------------------------- Resources: churn, scale, descriptors, idle CPU

    @Test
    @Tag(BOTH_SIDES)
    public void fastConnectEchoCloseCyclesDoNotCrossTalk() throws Exception {
        new ResourceChecks(harness()).fastConnectEchoCloseCyclesDoNotCrossTalk();
    }

    @Test
    @Tag(BOTH_SIDES)
    public void aThousandConnectionsOnOneReactor() throws Exception {
        new ResourceChecks(harness()).aThousandConnectionsOnOneReactor();
    }

    @Test
    @Tag(BOTH_SIDES)
    public void closedConnectionsReleaseTheirDescriptorsAtOnce() throws Exception {
        new ResourceChecks(harness()).closedConnectionsReleaseTheirDescriptorsAtOnce();
    }

    @Test
    public void anIdleReactorBurnsNoCpu() throws Exception {
        new ResourceChecks(harness()).anIdleReactorBurnsNoCpu();
    }

    @Test
    public void idleConnectionsInEveryStateBurnNoCpu() throws Exception {
        new ResourceChecks(harness()).idleConnectionsInEveryStateBurnNoCpu();
    }
}
