package io.katana.conformance;

import io.katana.reactor.spi.ReactorProvider;
import io.katana.tls.spi.TlsEngineProvider;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The TLS conformance suite every TLS engine must pass on every backend: handshakes in TLS 1.3 and
 * 1.2 with RSA and EC keys, ALPN, SNI, session resumption (also as {@code openssl s_client} sees it),
 * records split at every byte both ways, a big transfer under backpressure, writes from foreign
 * threads, file regions, {@code close_notify} and truncation, bad certificates, client certificates,
 * refused client renegotiation, a stalled handshake and garbage instead of a ClientHello. A third-party engine runs it with one class:
 *
 * <pre>{@code
 * class MyEngineTlsConformanceTest extends TlsConformanceSuite {
 *     protected TlsEngineProvider serverEngine() { return new MyTlsEngineProvider(); }
 *     protected ReactorProvider serverBackend() { return Reactors.best(); }
 * }
 * }</pre>
 *
 * <p>The server side uses {@link #serverEngine()} on {@link #serverBackend()}; the client side {@link
 * #clientEngine()} on {@link #clientBackend()}, the same unless overridden. When either differs the run
 * is mixed (our client against our server across engines or backends) and only the checks tagged
 * {@link ConformanceSuite#BOTH_SIDES} run. Checks whose other end is a hand-driven JDK peer use only
 * the server (or only the client) side. After each check every descriptor it opened must be closed.
 *
 * <p>Threading: JUnit runs each check on one thread; the checks run one at a time and apart from other
 * classes, since they count the process's file descriptors.
 */
@Timeout(value = ConformanceSuite.CHECK_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS,
        threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@Execution(ExecutionMode.SAME_THREAD)
@Isolated
public abstract class TlsConformanceSuite {

    private Harness harness;
    private TlsChecks checks;
    private Map<Integer, String> descriptorsBefore;

    /** For subclasses. */
    protected TlsConformanceSuite() {}

    /** {@return the TLS engine of the servers, the one under test} */
    protected abstract TlsEngineProvider serverEngine();

    /** {@return the TLS engine of the clients; the server's unless overridden} */
    protected TlsEngineProvider clientEngine() {
        return serverEngine();
    }

    /** {@return the reactor backend of the servers} */
    protected abstract ReactorProvider serverBackend();

    /** {@return the reactor backend of the clients; the server's unless overridden} */
    protected ReactorProvider clientBackend() {
        return serverBackend();
    }

    /**
     * Before each check: skips it when an engine or backend is unavailable, or when the run is mixed
     * and the check has a hand-driven peer; then records the open descriptors and opens the harness.
     *
     * @param check the check about to run, for its tags
     */
    @BeforeEach
    protected final void openHarness(TestInfo check) {
        TlsEngineProvider serverEngine = Objects.requireNonNull(serverEngine(), "serverEngine() returned null");
        TlsEngineProvider clientEngine = Objects.requireNonNull(clientEngine(), "clientEngine() returned null");
        ReactorProvider serverBackend = Objects.requireNonNull(serverBackend(), "serverBackend() returned null");
        ReactorProvider clientBackend = Objects.requireNonNull(clientBackend(), "clientBackend() returned null");
        for (TlsEngineProvider engine : new TlsEngineProvider[] {serverEngine, clientEngine}) {
            Assumptions.assumeTrue(engine.isAvailable(),
                    () -> "TLS engine " + engine.name() + " is unavailable here: " + engine.availability().reason());
        }
        for (ReactorProvider backend : new ReactorProvider[] {serverBackend, clientBackend}) {
            Assumptions.assumeTrue(backend.isAvailable(),
                    () -> backend.name() + " is unavailable here: " + backend.availability().reason());
        }
        boolean mixed = !serverEngine.name().equals(clientEngine.name())
                || !serverBackend.name().equals(clientBackend.name());
        Assumptions.assumeFalse(mixed && !check.getTags().contains(ConformanceSuite.BOTH_SIDES),
                "a mixed run has only the checks with our TLS on both sides; the single runs cover this one");
        FileDescriptors.warmUp(serverBackend);
        FileDescriptors.warmUp(clientBackend);
        descriptorsBefore = FileDescriptors.snapshot();
        harness = new Harness(serverBackend, clientBackend);
        checks = new TlsChecks(harness, serverEngine, clientEngine);
    }

    /** After each check: closes its groups, peers and TLS contexts, then checks no descriptor leaked. */
    @AfterEach
    protected final void closeHarness() {
        Harness closing = harness;
        harness = null;
        checks = null;
        if (closing == null) {
            return;
        }
        closing.close();
        if (FileDescriptors.supported()) {
            FileDescriptors.assertAllClosedSince(descriptorsBefore, Duration.ofSeconds(5),
                    "after the TLS check ended, its groups shut down and its peers closed");
        }
    }

    private TlsChecks checks() {
        if (checks == null) {
            throw new IllegalStateException("no check is running");
        }
        return checks;
    }

    /** The engine is registered for {@link java.util.ServiceLoader} and says it is available. */
    @Test
    public void engineIsFoundByName() {
        checks().engineIsFoundByName();
    }

    /**
     * TLS 1.3 with an EC key: handshake, 100 kB echoed, negotiated protocol, engine and AEAD suite.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(ConformanceSuite.BOTH_SIDES)
    public void handshakesAndEchoesWithTls13() throws Exception {
        checks().handshakesAndEchoes("TLSv1.3", "server-ec");
    }

    /**
     * TLS 1.2 with an RSA key whose PEM is PKCS#1.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(ConformanceSuite.BOTH_SIDES)
    public void handshakesAndEchoesWithTls12AndRsa() throws Exception {
        checks().handshakesAndEchoes("TLSv1.2", "server-rsa");
    }

    /**
     * ALPN: the server's preference wins, a client without ALPN gets none, no protocol in common fails.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(ConformanceSuite.BOTH_SIDES)
    public void alpnPicksTheServersPreference() throws Exception {
        checks().alpnPicksTheServersPreference();
    }

    /**
     * SNI: an exact name, a wildcard and an unknown name each get their certificate.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(ConformanceSuite.BOTH_SIDES)
    public void sniChoosesTheIdentityByName() throws Exception {
        checks().sniChoosesTheIdentityByName();
    }

    /**
     * TLS 1.3 resumption from a ticket: one client's second connection resumes on both sides; a new
     * server on the same address, or a new client, does a full handshake.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(ConformanceSuite.BOTH_SIDES)
    public void secondConnectionResumesWithTls13() throws Exception {
        checks().secondConnectionResumes("TLSv1.3");
    }

    /**
     * TLS 1.2 resumption, as {@link #secondConnectionResumesWithTls13()}.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(ConformanceSuite.BOTH_SIDES)
    public void secondConnectionResumesWithTls12() throws Exception {
        checks().secondConnectionResumes("TLSv1.2");
    }

    /**
     * {@code openssl s_client} (skipped where it is not installed) resumes a TLS 1.3 session from its
     * ticket, and the server says {@code resumed()} exactly when s_client reports it.
     *
     * @param dir where s_client keeps its session
     * @throws Exception if the check cannot run
     */
    @Test
    public void resumptionAgreesWithOpensslSClientWithTls13(@TempDir Path dir) throws Exception {
        checks().resumptionAgreesWithOpensslSClient("TLSv1.3", dir.resolve("session.pem"));
    }

    /**
     * As {@link #resumptionAgreesWithOpensslSClientWithTls13}, with TLS 1.2 and no tickets: resumption
     * by session id from the server's cache.
     *
     * @param dir where s_client keeps its session
     * @throws Exception if the check cannot run
     */
    @Test
    public void resumptionAgreesWithOpensslSClientWithTls12(@TempDir Path dir) throws Exception {
        checks().resumptionAgreesWithOpensslSClient("TLSv1.2", dir.resolve("session.pem"));
    }

    /**
     * A client that sends every handshake and data record one byte per write.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void recordsSplitAtEveryByteReachTheServer() throws Exception {
        checks().recordsSplitAtEveryByteReachTheServer();
    }

    /**
     * A server that sends every record one byte per write, then close_notify.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void recordsSplitAtEveryByteReachTheClient() throws Exception {
        checks().recordsSplitAtEveryByteReachTheClient();
    }

    /**
     * 16 MiB from a server that follows writability to a client that pauses and leaves bytes unconsumed.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(ConformanceSuite.BOTH_SIDES)
    public void bigTransferUnderBackpressure() throws Exception {
        checks().bigTransferUnderBackpressure();
    }

    /**
     * Writes made off the reactor thread are encrypted in the order they were made.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(ConformanceSuite.BOTH_SIDES)
    public void writesFromOtherThreadsArriveInOrder() throws Exception {
        checks().writesFromOtherThreadsArriveInOrder();
    }

    /**
     * A file region ({@code sendFile}) is encrypted and keeps its place among the writes.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(ConformanceSuite.BOTH_SIDES)
    public void fileRegionsAreEncryptedInTheirPlace() throws Exception {
        checks().fileRegionsAreEncryptedInTheirPlace();
    }

    /**
     * close_notify ends the input of each side in turn; the half-closed side still answers.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(ConformanceSuite.BOTH_SIDES)
    public void closeNotifyHalfClosesBothWays() throws Exception {
        checks().closeNotifyHalfClosesBothWays();
    }

    /**
     * A TCP end without close_notify closes the connection with a truncation cause.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void truncationIsReportedAsTheCloseCause() throws Exception {
        checks().truncationIsReportedAsTheCloseCause();
    }

    /**
     * A server certificate from an untrusted CA fails the client's handshake; no server handler is made.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(ConformanceSuite.BOTH_SIDES)
    public void untrustedServerCertificateFailsTheHandshake() throws Exception {
        checks().untrustedServerCertificateFailsTheHandshake();
    }

    /**
     * A certificate for another name fails the handshake unless the host name check is off.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(ConformanceSuite.BOTH_SIDES)
    public void certificateForAnotherNameFailsTheHandshake() throws Exception {
        checks().certificateForAnotherNameFailsTheHandshake();
    }

    /**
     * Required client certificates: a trusted one gets in and is seen; none or an untrusted one does not.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(ConformanceSuite.BOTH_SIDES)
    public void clientCertificatesAreCheckedWhenRequired() throws Exception {
        checks().clientCertificatesAreCheckedWhenRequired();
    }

    /**
     * Optional client certificates: a client without one is served.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    @Tag(ConformanceSuite.BOTH_SIDES)
    public void optionalClientCertificateMayBeAbsent() throws Exception {
        checks().optionalClientCertificateMayBeAbsent();
    }

    /**
     * Half a ClientHello, or nothing, is cut at the handshake timeout.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void stalledHandshakeTimesOut() throws Exception {
        checks().stalledHandshakeTimesOut();
    }

    /**
     * A TLS 1.2 client that begins a second handshake is cut off (each would cost the server a full
     * handshake); a TLS 1.3 KeyUpdate is served.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void clientInitiatedRenegotiationIsRefused() throws Exception {
        checks().clientInitiatedRenegotiationIsRefused();
    }

    /**
     * Plain HTTP, random bytes and an oversized record header close their connections, and only those.
     *
     * @throws Exception if the check cannot run
     */
    @Test
    public void garbageInsteadOfAClientHelloClosesOnlyThatConnection() throws Exception {
        checks().garbageInsteadOfAClientHelloClosesOnlyThatConnection();
    }
}
