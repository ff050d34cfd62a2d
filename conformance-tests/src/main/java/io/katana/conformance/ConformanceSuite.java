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

    /**
     * {@return the backend under test: it serves, and it connects unless {@link #clientProvider()} says
     * otherwise} Called before every check; an unavailable provider has the check skipped with its
     * reason.
     */
    protected abstract ReactorProvider serverProvider();

    /**
     * {@return the backend whose groups connect to the servers; the server backend unless overridden}
     * Override it to run the mixed-pair checks between two backends.
     */
    protected ReactorProvider clientProvider() {
        return serverProvider();
    }

    /**
     * Before each check: skips it if a backend is unavailable or it does not apply to a mixed pair,
     * records the open file descriptors, and opens the harness that tracks the check's groups and peers.
     *
     * @param check the check about to run, for its tags
     */
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

    /**
     * After each check: closes its groups and peers, bounded, and fails the check if a descriptor it
     * opened is still open five seconds later.
     */
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

    /**
     * Bytes written in random splits, from 1 byte to 8 MiB, come back whole and in order through a
     * reactor client and a reactor server that echoes each read in random splits too.
     *
     * @throws Exception if the check cannot run; a failed check throws {@link AssertionError}
     */
    @Test
    @Tag(BOTH_SIDES)
    public void echoesRandomBytesInRandomSplitsBetweenReactors() throws Exception {
        new DataTransferChecks(harness()).echoesRandomBytesInRandomSplitsBetweenReactors();
    }

    /**
     * A reactor echo server returns 1 byte, 100,003 bytes and 8 MiB whole and in order to a blocking
     * peer that writes and reads in random splits.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void echoesRandomSplitsToABlockingPeer() throws Exception {
        new DataTransferChecks(harness()).echoesRandomSplitsToABlockingPeer();
    }

    /**
     * A reactor client gets back what it sent through a blocking echo server that reads and writes in
     * random pieces.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void echoesThroughABlockingServerFromAReactorClient() throws Exception {
        new DataTransferChecks(harness()).echoesThroughABlockingServerFromAReactorClient();
    }

    /**
     * Hundreds of writes of every kind of buffer followed by one flush, on the reactor thread or off
     * it, arrive whole and in order.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void gatheringWritesArriveWholeAndInOrder() throws Exception {
        new DataTransferChecks(harness()).gatheringWritesArriveWholeAndInOrder();
    }

    /**
     * {@link io.katana.reactor.Connection#write} only queues: the peer receives nothing until {@code
     * flush}.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void sendsNothingBeforeFlush() throws Exception {
        new DataTransferChecks(harness()).sendsNothingBeforeFlush();
    }

    /**
     * {@code write} consumes and copies the caller's heap or direct buffer, so overwriting it at once
     * changes nothing that is sent.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void writeCopiesTheCallersBuffer() throws Exception {
        new DataTransferChecks(harness()).writeCopiesTheCallersBuffer();
    }

    /**
     * {@code write} sends exactly position to limit of slices, offset, read-only, empty, direct and
     * read-only direct buffers.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void writeAcceptsEveryKindOfBuffer() throws Exception {
        new DataTransferChecks(harness()).writeAcceptsEveryKindOfBuffer();
    }

    /**
     * Frames written by four threads at once arrive whole, and each thread's frames in the order it
     * wrote them.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void writesFromOtherThreadsKeepEachThreadsOrder() throws Exception {
        new DataTransferChecks(harness()).writesFromOtherThreadsKeepEachThreadsOrder();
    }

    /**
     * A 24 MiB direct and an 8 MiB heap buffer written off the reactor thread arrive intact.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void writesLargeBuffersFromAnotherThread() throws Exception {
        new DataTransferChecks(harness()).writesLargeBuffersFromAnotherThread();
    }

    /**
     * An echo of over 1 MiB is intact through a 1 KiB read buffer and 256-byte outbound chunks, the
     * smallest configuration allowed.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void echoesWithTinyReadBufferAndChunks() throws Exception {
        new DataTransferChecks(harness()).echoesWithTinyReadBufferAndChunks();
    }

    // ---------------------------------------------------------------- Ending connections: half-close, reset, close, abort

    /**
     * {@code shutdownOutput} sends what was queued, then FIN, and the connection still reads and stays
     * open; a second call is harmless.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void shutdownOutputSendsFinAndKeepsReading() throws Exception {
        new CloseChecks(harness()).shutdownOutputSendsFinAndKeepsReading();
    }

    /**
     * The peer's FIN fires {@code onInputClosed} after the bytes before it, and the connection can
     * still write.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void peerHalfCloseFiresOnInputClosedAndWritingGoesOn() throws Exception {
        new CloseChecks(harness()).peerHalfCloseFiresOnInputClosedAndWritingGoesOn();
    }

    /**
     * End of stream is not lost when it arrives behind more data than one readiness event reads, nor
     * while reading is paused: an edge-triggered backend hears of the FIN only once.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void endOfStreamAfterABurstThatOutlastsTheReadBudgetAndPauses() throws Exception {
        new CloseChecks(harness()).endOfStreamAfterABurstThatOutlastsTheReadBudgetAndPauses();
    }

    /**
     * The default {@code onInputClosed} closes the connection only after everything queued (a 2 MiB
     * echo) has been sent.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void defaultOnInputClosedClosesAfterQueuedWrites() throws Exception {
        new CloseChecks(harness()).defaultOnInputClosedClosesAfterQueuedWrites();
    }

    /**
     * A reactor client's {@code shutdownOutput} reaches a reactor server as {@code onInputClosed}, and
     * the server's reply after it reaches the client.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(BOTH_SIDES)
    public void halfCloseBetweenReactors() throws Exception {
        new CloseChecks(harness()).halfCloseBetweenReactors();
    }

    /**
     * A peer's reset closes the connection with a non-null cause in {@code onClose}.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void peerResetIsReportedToOnClose() throws Exception {
        new CloseChecks(harness()).peerResetIsReportedToOnClose();
    }

    /**
     * Writing to a connection the peer has reset neither throws nor hangs; the connection closes.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void writesAfterPeerResetNeitherHangNorThrow() throws Exception {
        new CloseChecks(harness()).writesAfterPeerResetNeitherHangNorThrow();
    }

    /**
     * Repeated {@code close} and {@code abort}, on and off the reactor thread, close once and fire
     * {@code onClose} once.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void closingTwiceIsHarmless() throws Exception {
        new CloseChecks(harness()).closingTwiceIsHarmless();
    }

    /**
     * {@code close} right after a 4 MiB write sends all of it before the FIN.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void closeSendsEverythingQueuedFirst() throws Exception {
        new CloseChecks(harness()).closeSendsEverythingQueuedFirst();
    }

    /**
     * {@code abort} drops what is still queued, closes at once and leaves no pending bytes.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void abortDropsQueuedBytesAndClosesAtOnce() throws Exception {
        new CloseChecks(harness()).abortDropsQueuedBytesAndClosesAtOnce();
    }

    /**
     * Writes and flushes after close are discarded silently, still consuming the caller's buffer.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void writesAfterCloseAreDiscardedWithoutError() throws Exception {
        new CloseChecks(harness()).writesAfterCloseAreDiscardedWithoutError();
    }

    /**
     * Writes after {@code shutdownOutput}, from any thread, are discarded, while input still works.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void writesAfterShutdownOutputAreDiscarded() throws Exception {
        new CloseChecks(harness()).writesAfterShutdownOutputAreDiscarded();
    }

    /**
     * Writers on several threads racing a {@code close} neither fail nor tear a frame: each writer's
     * frames arrive as an unbroken prefix of what it wrote.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void writesRacingACloseArriveAsUnbrokenPrefixes() throws Exception {
        new CloseChecks(harness()).writesRacingACloseArriveAsUnbrokenPrefixes();
    }

    // ---------------------------------------------------------------- Connecting

    /**
     * A connect to a closed port fails with {@link java.net.ConnectException} and never calls {@code
     * onOpen}.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void refusedConnectFailsWithConnectException() throws Exception {
        new ConnectChecks(harness()).refusedConnectFailsWithConnectException();
    }

    /**
     * A connect nobody answers fails with {@link java.net.SocketTimeoutException} after the configured
     * timeout, not before.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void unansweredConnectTimesOut() throws Exception {
        new ConnectChecks(harness()).unansweredConnectTimesOut();
    }

    /**
     * The future of {@code connect} completes only after the handler's {@code onOpen} has returned, with
     * the connection the handler saw.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(BOTH_SIDES)
    public void connectCompletesAfterOnOpen() throws Exception {
        new ConnectChecks(harness()).connectCompletesAfterOnOpen();
    }

    /**
     * {@code connect} works when called on a reactor thread, as a relay does from inside a handler.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(BOTH_SIDES)
    public void connectsFromReactorThreads() throws Exception {
        new ConnectChecks(harness()).connectsFromReactorThreads();
    }

    // ---------------------------------------------------------------- Flow control: pause and resume, kept input, water marks

    /**
     * {@code pauseReading} stops {@code onRead} calls; {@code resumeReading} delivers what arrived
     * meanwhile.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void pauseStopsReadsAndResumeDeliversTheRest() throws Exception {
        new FlowControlChecks(harness()).pauseStopsReadsAndResumeDeliversTheRest();
    }

    /**
     * Bytes left unconsumed when reading was paused are presented again on resume, even if nothing new
     * arrives.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void resumePresentsKeptBytesWithoutNewInput() throws Exception {
        new FlowControlChecks(harness()).resumePresentsKeptBytesWithoutNewInput();
    }

    /**
     * Bytes a handler leaves unconsumed come back at the next {@code onRead}, followed by newer bytes.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void unconsumedBytesComeBackWithNewerBytes() throws Exception {
        new FlowControlChecks(harness()).unconsumedBytesComeBackWithNewerBytes();
    }

    /**
     * A paused connection stops reading from the socket, so TCP flow control eventually stops the peer's
     * writes.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void pauseReadingPushesBackOnThePeer() throws Exception {
        new FlowControlChecks(harness()).pauseReadingPushesBackOnThePeer();
    }

    /**
     * A 16 MiB echo survives pause and resume toggled at random from another thread, losing and
     * duplicating nothing.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void togglingPauseAndResumeLosesNoBytes() throws Exception {
        new FlowControlChecks(harness()).togglingPauseAndResumeLosesNoBytes();
    }

    /**
     * A producer that respects writability sends 100 MiB to a slow reader while its queue stays within
     * the high water mark plus one write, and writability alternates.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void slowReaderOf100MiBStaysWithinTheWaterMarks() throws Exception {
        new FlowControlChecks(harness()).slowReaderOf100MiBStaysWithinTheWaterMarks();
    }

    /**
     * {@code pendingOutboundBytes} counts a write from another thread at once, and the connection turns
     * unwritable and writable again at the water marks.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void pendingOutboundBytesCountsWritesOnTheirWay() throws Exception {
        new FlowControlChecks(harness()).pendingOutboundBytesCountsWritesOnTheirWay();
    }

    /**
     * A peer that never reads a 16 MiB write does not keep its reactor from serving another connection.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void aPeerThatNeverReadsDoesNotStallTheReactor() throws Exception {
        new FlowControlChecks(harness()).aPeerThatNeverReadsDoesNotStallTheReactor();
    }

    /**
     * A reactor client that pauses reading makes a reactor server's connection unwritable; after
     * resume everything arrives.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(BOTH_SIDES)
    public void pausedReactorClientPushesBackOnReactorServer() throws Exception {
        new FlowControlChecks(harness()).pausedReactorClientPushesBackOnReactorServer();
    }

    // ---------------------------------------------------------------- Kept input, peer loss and callback nesting

    /**
     * The peer sends "hello world" and FIN; the handler consumes 1 byte and pauses, and resumes 200 ms
     * later: the 10 kept bytes are presented before {@code onInputClosed}.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void keptBytesComeBeforeEndOfStreamAfterAPause() throws Exception {
        new KeptInputChecks(harness()).keptBytesComeBeforeEndOfStreamAfterAPause();
    }

    /**
     * As above with two pauses: after each resume the kept bytes come again, then end of stream; the
     * connection never hangs.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void keptBytesSurviveTwoPausesBeforeEndOfStream() throws Exception {
        new KeptInputChecks(harness()).keptBytesSurviveTwoPausesBeforeEndOfStream();
    }

    /**
     * Pause and resume inside one {@code onRead} present the kept bytes again with no new input.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void pauseAndResumeInsideOneOnReadPresentsKeptBytesAgain() throws Exception {
        new KeptInputChecks(harness()).pauseAndResumeInsideOneOnReadPresentsKeptBytesAgain();
    }

    /**
     * A FIN that arrives while reading is paused with kept bytes waits behind them: nothing while
     * paused, then the kept bytes, then {@code onInputClosed}.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void finWhilePausedWaitsBehindKeptBytes() throws Exception {
        new KeptInputChecks(harness()).finWhilePausedWaitsBehindKeptBytes();
    }

    /**
     * A reset while reading is paused closes the connection with a cause: at once where the backend
     * says it can see it ({@link ReactorProvider#reportsResetWhilePaused()}), otherwise at the latest
     * on {@code resumeReading}.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void resetWhilePausedIsReportedWithItsCause() throws Exception {
        new PeerLossChecks(harness()).resetWhilePausedIsReportedWithItsCause();
    }

    /**
     * Connections shut down both ways (reading on, reading paused, peer gone) cost the reactor no
     * loop iterations: counted with {@link io.katana.reactor.ReactorStats#loopIterations()}.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void connectionsShutDownBothWaysDoNotSpinTheLoop() throws Exception {
        new PeerLossChecks(harness()).connectionsShutDownBothWaysDoNotSpinTheLoop();
    }

    /**
     * Writability changes caused by {@code write} and {@code flush} inside {@code onRead} come after
     * it returns, in order, agreeing with {@code isWritable()}; no callback begins inside another.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void writabilityChangesCausedInsideOnReadComeAfterItReturns() throws Exception {
        new CallbackNestingChecks(harness()).writabilityChangesCausedInsideOnReadComeAfterItReturns();
    }

    // ---------------------------------------------------------------- What protocols need: reactor locals, isInputClosed, kept-input limit, writes without a second copy

    /**
     * A {@link io.katana.reactor.ReactorLocal} gives one value per reactor, the same to every
     * connection of that reactor, and refuses callers off the reactor thread.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void reactorLocalIsOneValuePerReactor() throws Exception {
        new ApiAdditionChecks(harness()).reactorLocalIsOneValuePerReactor();
    }

    /**
     * {@code isInputClosed} is false until the peer's FIN, true inside {@code onInputClosed} and after,
     * even once closed.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void isInputClosedFollowsTheEndOfStream() throws Exception {
        new ApiAdditionChecks(harness()).isInputClosedFollowsTheEndOfStream();
    }

    /**
     * Kept input up to {@code maxKeptInputBytes} is allowed; one byte more closes the connection with
     * a {@link io.katana.reactor.KeptInputLimitException} that says the limit, the amount and the fix.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void keptInputOverTheLimitClosesWithAClearReason() throws Exception {
        new ApiAdditionChecks(harness()).keptInputOverTheLimitClosesWithAClearReason();
    }

    /**
     * {@code write(maxBytes, encoder)} queues exactly what the encoder wrote, in order with copying
     * writes, from 0 bytes to several chunks, on and off the reactor thread; an encoder that throws or
     * leaves its room queues nothing.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void encodedWritesArriveWholeAndInOrder() throws Exception {
        new ApiAdditionChecks(harness()).encodedWritesArriveWholeAndInOrder();
    }

    /**
     * {@code writeShared} sends a read-only direct buffer by reference, on and off the reactor thread,
     * in order with other writes, leaving the shared buffer's own position alone; a heap buffer is
     * copied.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void sharedBuffersAreSentByReference() throws Exception {
        new ApiAdditionChecks(harness()).sharedBuffersAreSentByReference();
    }

    // ---------------------------------------------------------------- Files: sendFile

    /**
     * {@code sendFile} regions (a whole file, a region from its middle, an empty one, one queued off
     * the reactor thread) arrive in their place among the writes around them, and the file is closed
     * once sent.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void fileRegionsKeepTheirPlaceAmongWrites() throws Exception {
        new FileTransferChecks(harness()).fileRegionsKeepTheirPlaceAmongWrites();
    }

    /**
     * A 16 MiB file, far larger than the socket buffers, reaches a slow reader whole and in order; the
     * connection is unwritable while it is queued and writable again once it drains.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void largeFileUnderASlowReaderFollowsTheWaterMarks() throws Exception {
        new FileTransferChecks(harness()).largeFileUnderASlowReaderFollowsTheWaterMarks();
    }

    /**
     * A file truncated while it is being sent closes the connection with an {@code IOException} that
     * names the file and says it was truncated; the file is closed.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void fileTruncatedUnderTheTransferClosesWithTheReason() throws Exception {
        new FileTransferChecks(harness()).fileTruncatedUnderTheTransferClosesWithTheReason();
    }

    /**
     * An abort in the middle of a transfer resets the peer and closes the file; so does a peer's reset.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void abortAndResetMidTransferReleaseTheFile() throws Exception {
        new FileTransferChecks(harness()).abortAndResetMidTransferReleaseTheFile();
    }

    /**
     * {@code sendFile} refuses a missing file, a directory, a region past the end and negative numbers
     * with an exception, queueing nothing and keeping the connection; after {@code shutdownOutput} a
     * region is discarded and its file closed.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void sendFileRefusesWhatItCannotSendAndKeepsTheConnection() throws Exception {
        new FileTransferChecks(harness()).sendFileRefusesWhatItCannotSendAndKeepsTheConnection();
    }

    // ---------------------------------------------------------------- Failures in handlers and tasks; closing from inside callbacks

    /**
     * An exception from {@code onRead} closes that connection with the exception as cause; the
     * reactor's other connections go on.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void throwingOnReadClosesOnlyThatConnection() throws Exception {
        new FailureChecks(harness()).throwingOnReadClosesOnlyThatConnection();
    }

    /**
     * An exception from {@code onOpen} closes that connection with it as cause; others go on.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void throwingOnOpenClosesOnlyThatConnection() throws Exception {
        new FailureChecks(harness()).throwingOnOpenClosesOnlyThatConnection();
    }

    /**
     * An exception from {@code onInputClosed} closes the connection with it as cause.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void throwingOnInputClosedClosesWithThatCause() throws Exception {
        new FailureChecks(harness()).throwingOnInputClosedClosesWithThatCause();
    }

    /**
     * An exception from {@code onClose} is logged and contained; the reactor goes on serving.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void throwingOnCloseIsContained() throws Exception {
        new FailureChecks(harness()).throwingOnCloseIsContained();
    }

    /**
     * Tasks and timer actions that throw do not stop the reactor or the tasks after them.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void throwingTasksAndTimersDoNotStopTheReactor() throws Exception {
        new FailureChecks(harness()).throwingTasksAndTimersDoNotStopTheReactor();
    }

    /**
     * {@code close} inside {@code onOpen} sends what was written first, then closes: callbacks are
     * open, close.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void closeInsideOnOpen() throws Exception {
        new FailureChecks(harness()).closeInsideOnOpen();
    }

    /**
     * {@code abort} inside {@code onOpen} closes without sending what was written.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void abortInsideOnOpen() throws Exception {
        new FailureChecks(harness()).abortInsideOnOpen();
    }

    /**
     * {@code close} inside {@code onRead} sends the reply written first, and no further {@code onRead}
     * follows.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void closeInsideOnRead() throws Exception {
        new FailureChecks(harness()).closeInsideOnRead();
    }

    /**
     * {@code abort} inside {@code onRead} sends nothing more, and no further {@code onRead} follows.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void abortInsideOnRead() throws Exception {
        new FailureChecks(harness()).abortInsideOnRead();
    }

    // ---------------------------------------------------------------- Reactors as executors

    /**
     * Each reactor knows its group and, through {@code inEventLoop}, its own distinct thread, named
     * with the configured prefix; {@code next()} goes round all of them.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void reactorsKnowTheirThreadsAndGroup() throws Exception {
        new TaskChecks(harness()).reactorsKnowTheirThreadsAndGroup();
    }

    /**
     * A task handed to an idle, sleeping reactor runs promptly: the wake-up is never lost.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void executeWakesASleepingReactor() throws Exception {
        new TaskChecks(harness()).executeWakesASleepingReactor();
    }

    /**
     * Tasks from eight threads at once all run, on the reactor thread, each producer's in its order.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void executeFromEightThreadsKeepsEachProducersOrder() throws Exception {
        new TaskChecks(harness()).executeFromEightThreadsKeepsEachProducersOrder();
    }

    // ---------------------------------------------------------------- Timers

    /**
     * Timers scheduled on and off the reactor thread fire on it, in deadline order.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void timersFireInDeadlineOrderOnTheReactor() throws Exception {
        new TimerChecks(harness()).timersFireInDeadlineOrderOnTheReactor();
    }

    /**
     * A cancelled timer never runs, a second cancel reports false, and an expired timer cannot be
     * cancelled.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void cancelledTimersNeverRun() throws Exception {
        new TimerChecks(harness()).cancelledTimersNeverRun();
    }

    /**
     * Ten thousand timers with random delays, scheduled from two threads, each fire exactly once and
     * never before their delay.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void tenThousandTimersAllFireOnceAndNeverEarly() throws Exception {
        new TimerChecks(harness()).tenThousandTimersAllFireOnceAndNeverEarly();
    }

    /**
     * Timers fire no earlier than their delay and at most about a tick late, with 1 ms and 20 ms ticks.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void timersAreAccurateToATick() throws Exception {
        new TimerChecks(harness()).timersAreAccurateToATick();
    }

    /**
     * Timers further out than one turn of a small timer wheel still wait their full delay.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void timersBeyondOneWheelTurnDoNotFireEarly() throws Exception {
        new TimerChecks(harness()).timersBeyondOneWheelTurnDoNotFireEarly();
    }

    // ---------------------------------------------------------------- Shutdown

    /**
     * A graceful shutdown sends a connection's queued 8 MiB before closing it and ending the group.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void gracefulShutdownDrainsQueuedWrites() throws Exception {
        new ShutdownChecks(harness()).gracefulShutdownDrainsQueuedWrites();
    }

    /**
     * Shutdown closes listeners and idle connections, ends every reactor thread, and a second call
     * returns the same future.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void shutdownStopsListenersAndThreads() throws Exception {
        new ShutdownChecks(harness()).shutdownStopsListenersAndThreads();
    }

    /**
     * A connection whose peer never reads is aborted when the shutdown timeout passes, so shutdown
     * ends.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void shutdownAbortsConnectionsThatDoNotDrainInTime() throws Exception {
        new ShutdownChecks(harness()).shutdownAbortsConnectionsThatDoNotDrainInTime();
    }

    /**
     * {@code execute} on a reactor that has shut down throws {@link
     * java.util.concurrent.RejectedExecutionException}.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void executeAfterShutdownIsRejected() throws Exception {
        new ShutdownChecks(harness()).executeAfterShutdownIsRejected();
    }

    // ---------------------------------------------------------------- Listeners

    /**
     * A listener bound to port 0 reports the port it got, and serves on it.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void listenerReportsTheActualPortForPortZero() throws Exception {
        new ListenerChecks(harness()).listenerReportsTheActualPortForPortZero();
    }

    /**
     * Closing a listener refuses new connections but keeps serving those it accepted.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void closingAListenerKeepsItsConnections() throws Exception {
        new ListenerChecks(harness()).closingAListenerKeepsItsConnections();
    }

    /**
     * A listener with {@code SO_REUSEPORT} serves every connection on its one port (skipped where the
     * platform lacks the option).
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void reusePortListenerServesAndSharesItsPort() throws Exception {
        new ListenerChecks(harness()).reusePortListenerServesAndSharesItsPort();
    }

    /**
     * Listening on a port already taken fails with {@link java.io.IOException}, with or without {@code
     * SO_REUSEPORT}, and leaves the group working.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void listeningOnAPortInUseFailsWithIOException() throws Exception {
        new ListenerChecks(harness()).listeningOnAPortInUseFailsWithIOException();
    }

    /**
     * With {@code maxConnections} 2 a third connection is closed unserved while the first two are
     * served, and a slot freed by a close is reused.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void maxConnectionsRefusesTheSurplus() throws Exception {
        new ListenerChecks(harness()).maxConnectionsRefusesTheSurplus();
    }

    /**
     * Connections accepted by one listener are spread over every reactor of the group.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void acceptedConnectionsAreSpreadOverTheReactors() throws Exception {
        new ListenerChecks(harness()).acceptedConnectionsAreSpreadOverTheReactors();
    }

    // ---------------------------------------------------------------- The handler and connection contract

    /**
     * On both ends callbacks come in the documented order: {@code onOpen} first, {@code onClose} last
     * and once.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(BOTH_SIDES)
    public void callbacksComeInOrderOpenFirstCloseLastOnce() throws Exception {
        new ContractChecks(harness()).callbacksComeInOrderOpenFirstCloseLastOnce();
    }

    /**
     * Every callback, writability changes included, runs on the thread of the connection's own
     * reactor.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(BOTH_SIDES)
    public void everyCallbackRunsOnTheConnectionsReactor() throws Exception {
        new ContractChecks(harness()).everyCallbackRunsOnTheConnectionsReactor();
    }

    /**
     * An attachment starts null, is kept, and is seen from the reactor thread and from others.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void attachmentsAreKeptAndSeenFromAnyThread() throws Exception {
        new ContractChecks(harness()).attachmentsAreKeptAndSeenFromAnyThread();
    }

    /**
     * Local and remote addresses of the two ends of a connection mirror each other, against reactor
     * and blocking peers.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(BOTH_SIDES)
    public void addressesMatchBothEnds() throws Exception {
        new ContractChecks(harness()).addressesMatchBothEnds();
    }

    /**
     * Connection ids are unique within a group and not reused when the operating system reuses a file
     * descriptor.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(BOTH_SIDES)
    public void connectionIdsAreUniqueAndNeverReused() throws Exception {
        new ContractChecks(harness()).connectionIdsAreUniqueAndNeverReused();
    }

    /**
     * {@code isOpen} is true from {@code onOpen} on and false from {@code onClose} on.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(BOTH_SIDES)
    public void isOpenFollowsTheLifecycle() throws Exception {
        new ContractChecks(harness()).isOpenFollowsTheLifecycle();
    }

    // ---------------------------------------------------------------- Resources: churn, scale, descriptors, idle CPU

    /**
     * Rapid connect, echo and close cycles on four threads never deliver one connection's bytes to
     * another.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(BOTH_SIDES)
    public void fastConnectEchoCloseCyclesDoNotCrossTalk() throws Exception {
        new ResourceChecks(harness()).fastConnectEchoCloseCyclesDoNotCrossTalk();
    }

    /**
     * One reactor serves a thousand concurrent connections from one client reactor (skipped when the
     * open-file limit is too low).
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(BOTH_SIDES)
    public void aThousandConnectionsOnOneReactor() throws Exception {
        new ResourceChecks(harness()).aThousandConnectionsOnOneReactor();
    }

    /**
     * Connections ended every way (closed or aborted by the server, reset by the peer, closed by a
     * reactor client) give their file descriptors back at once.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(BOTH_SIDES)
    public void closedConnectionsReleaseTheirDescriptorsAtOnce() throws Exception {
        new ResourceChecks(harness()).closedConnectionsReleaseTheirDescriptorsAtOnce();
    }

    /**
     * An idle group with a listener uses next to no CPU: its loops block instead of spinning.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void anIdleReactorBurnsNoCpu() throws Exception {
        new ResourceChecks(harness()).anIdleReactorBurnsNoCpu();
    }

    /**
     * Idle connections in every state (a large write drained, paused with input waiting, half-closed
     * by the peer) cost their reactor next to no CPU.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void idleConnectionsInEveryStateBurnNoCpu() throws Exception {
        new ResourceChecks(harness()).idleConnectionsInEveryStateBurnNoCpu();
    }

    // ---------------------------------------------------------------- What slipped through before (issue 15): options, IPv6, abort, termination, discovery

    /**
     * Accepted sockets have the listen options' {@code TCP_NODELAY} (on and off), {@code SO_RCVBUF} and
     * {@code SO_SNDBUF}, read back from the kernel (skipped where that cannot be done).
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void acceptedSocketsHaveTheListenOptions() throws Exception {
        new SocketOptionChecks(harness()).acceptedSocketsHaveTheListenOptions();
    }

    /**
     * Connected sockets have the connect options' {@code TCP_NODELAY} (on and off), {@code SO_RCVBUF}
     * and {@code SO_SNDBUF}, read back from the kernel (skipped where that cannot be done).
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void connectedSocketsHaveTheConnectOptions() throws Exception {
        new SocketOptionChecks(harness()).connectedSocketsHaveTheConnectOptions();
    }

    /**
     * With {@code SO_REUSEADDR} a port can be listened on again at once while a connection of the
     * closed listener waits in {@code TIME_WAIT} there.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void reuseAddressListensAgainOverTimeWait() throws Exception {
        new SocketOptionChecks(harness()).reuseAddressListensAgainOverTimeWait();
    }

    /**
     * Over IPv6 loopback {@code [::1]}: a listener reports its address and echoes to a blocking peer and
     * to a reactor client, whose addresses are IPv6, through half-close (skipped without {@code ::1}).
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void servesAndConnectsOverIpv6Loopback() throws Exception {
        new Ipv6Checks(harness()).servesAndConnectsOverIpv6Loopback();
    }

    /**
     * A connect to a closed {@code [::1]} port fails with {@link java.net.ConnectException} (skipped
     * without {@code ::1}).
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void refusedConnectOverIpv6FailsWithConnectException() throws Exception {
        new Ipv6Checks(harness()).refusedConnectOverIpv6FailsWithConnectException();
    }

    /**
     * {@code abort} after a write resets an accepted connection: the blocking peer sees {@code
     * ECONNRESET}, not an end of stream, and none of the queued bytes.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void abortResetsTheConnectionOfAnAcceptedPeer() throws Exception {
        new AbortChecks(harness()).abortResetsTheConnectionOfAnAcceptedPeer();
    }

    /**
     * {@code abort} in the same callback as a flushed write still resets: the peer may get the answer
     * but then sees {@code ECONNRESET}, whether or not the backend knows yet what its send took.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void abortRightAfterAFlushedWriteResets() throws Exception {
        new AbortChecks(harness()).abortRightAfterAFlushedWriteResets();
    }

    /**
     * {@code abort} after a write resets a connected connection: the blocking server sees {@code
     * ECONNRESET}, not an end of stream.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void abortResetsTheConnectionOfAConnectedPeer() throws Exception {
        new AbortChecks(harness()).abortResetsTheConnectionOfAConnectedPeer();
    }

    /**
     * Connects still waiting for an answer when their group shuts down fail, never call {@code onOpen},
     * and leave no descriptor open.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void pendingConnectsFailWhenTheGroupShutsDown() throws Exception {
        new TerminationChecks(harness()).pendingConnectsFailWhenTheGroupShutsDown();
    }

    /**
     * Connections that arrive while their group shuts down are closed, never handed to a handler's
     * {@code onOpen}.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void connectionsArrivingDuringShutdownAreClosedUnopened() throws Exception {
        new TerminationChecks(harness()).connectionsArrivingDuringShutdownAreClosedUnopened();
    }

    /**
     * The backends under test are found by name through {@link java.util.ServiceLoader}, as the same
     * provider classes the suite was handed.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(BOTH_SIDES)
    public void backendsAreFoundByNameThroughServiceLoader() throws Exception {
        new DiscoveryChecks(harness()).backendsAreFoundByNameThroughServiceLoader();
    }
}
