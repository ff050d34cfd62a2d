package com.example.katana.faults;

/**
 * The catalogue of faults {@link FaultyReactorProvider} can inject into the backend it decorates,
 * each one a bug that once slipped past the conformance suite, and the checks that must now catch
 * it. {@code docs/CONFORMANCE-FAULTS.md} lists the same catalogue with the results of a run.
 *
 * <p>{@link #catchers} is a regular expression over the names of the suite's checks: the fault test
 * runs just those checks with the fault on (it must fail at least one) and with it off (they must
 * all pass).
 */
public enum Fault {

    /** No fault: the decorated backend as it is. */
    NONE("nothing injected", ""),

    /** TCP_NODELAY never reaches the socket. */
    TCP_NODELAY_IGNORED(
            "listen and connect options reach the delegate with tcpNoDelay false",
            "acceptedSocketsHaveTheListenOptions|connectedSocketsHaveTheConnectOptions"),

    /** SO_RCVBUF and SO_SNDBUF never reach the socket. */
    BUFFER_SIZES_IGNORED(
            "listen and connect options reach the delegate with receive and send buffer sizes 0 (system default)",
            "acceptedSocketsHaveTheListenOptions|connectedSocketsHaveTheConnectOptions"),

    /** SO_REUSEADDR never reaches the listening socket. */
    REUSE_ADDRESS_IGNORED(
            "listen options reach the delegate with reuseAddress false",
            "reuseAddressListensAgainOverTimeWait"),

    /** IPv6 is broken: listening on or connecting to an IPv6 address fails. */
    IPV6_REFUSED(
            "listen on an IPv6 address throws 'Address family not supported'; connect to one fails with that "
                    + "SocketException",
            "servesAndConnectsOverIpv6Loopback|refusedConnectOverIpv6FailsWithConnectException"),

    /** abort is a plain close: queued bytes are dropped but the peer gets a FIN, not a reset. */
    ABORT_CLOSES_WITHOUT_RESET(
            "writes wait in the decorator until flush; abort drops them and calls the delegate's close (FIN)",
            "abortResetsTheConnectionOfAnAcceptedPeer|abortResetsTheConnectionOfAConnectedPeer"),

    /** A reset that arrives while reading is paused is not reported until reading resumes, if ever. */
    RESET_WHILE_PAUSED_UNREPORTED(
            "onClose with a cause, while the application has reading paused, is held back until resumeReading "
                    + "(never delivered if reading is never resumed)",
            "(?i).*reset.*paus.*|.*paus.*reset.*"),

    /** The loop spins on a connection shut down both ways, as a level-triggered hang-up never muted would. */
    HANG_UP_SPIN(
            "once the application has called shutdownOutput and heard onInputClosed, a task re-executes itself "
                    + "on the connection's reactor until the connection closes: the loop never sleeps",
            "(?i).*hang.?up.*|.*spin.*|.*bothWay.*"),

    /** Bytes kept across a pause are lost on resume. */
    KEPT_BYTES_LOST_ON_RESUME(
            "the first onRead after resumeReading is consumed by the decorator and never reaches the application",
            "resumePresentsKeptBytesWithoutNewInput|(?i).*kept(bytes|input).*"),

    /** Bytes kept across a pause stay stuck until newer input, and are lost at a FIN. */
    KEPT_BYTES_STUCK_AT_FIN(
            "the first onRead after resumeReading is held by the decorator and presented only with the next onRead; "
                    + "onInputClosed drops what it holds",
            "resumePresentsKeptBytesWithoutNewInput|endOfStreamAfterABurstThatOutlastsTheReadBudgetAndPauses"
                    + "|(?i).*kept(bytes|input).*(fin|halfclose|inputclosed).*"
                    + "|(?i).*(fin|halfclose|inputclosed).*kept(bytes|input).*"),

    /** Connects still pending when the group shuts down are never failed. */
    PENDING_CONNECTS_NEVER_FAILED(
            "a connect future that fails while the group shuts down is never completed",
            "pendingConnectsFailWhenTheGroupShutsDown"),

    /** Connects still pending when the group shuts down fail, but their sockets stay open. */
    PENDING_CONNECT_SOCKETS_LEAKED(
            "a connect that fails while the group shuts down leaves a socket open behind it (the decorator opens "
                    + "one and keeps it until the fault test ends)",
            "pendingConnectsFailWhenTheGroupShutsDown"),

    /** The group says it is shutting down but still accepts, adopts and opens new connections. */
    ADOPTED_DURING_SHUTDOWN(
            "shutdownGracefully marks the group shutting down at once but shuts the delegate down only 300 ms "
                    + "later, so its listeners keep accepting and opening connections meanwhile",
            "connectionsArrivingDuringShutdownAreClosedUnopened"),

    /** A file region is sent from the start of the file, whatever position was asked. */
    SEND_FILE_IGNORES_POSITION(
            "sendFile reaches the delegate with position 0 (and the count asked), as a backend that passed no "
                    + "offset to sendfile(2) would send",
            "fileRegionsKeepTheirPlaceAmongWrites"),

    /** The provider works when constructed, but ServiceLoader cannot find it by its name. */
    UNREGISTERED_PROVIDER(
            "the suite is handed UnregisteredFaultyProvider, named faulty-unregistered, which no "
                    + "META-INF/services file lists",
            "backendsAreFoundByNameThroughServiceLoader");

    private final String injection;
    private final String catchers;

    Fault(String injection, String catchers) {
        this.injection = injection;
        this.catchers = catchers;
    }

    /** {@return how the decorator injects the fault} */
    public String injection() {
        return injection;
    }

    /** {@return a regular expression matching the names of the checks that must catch the fault} */
    public String catchers() {
        return catchers;
    }
}
