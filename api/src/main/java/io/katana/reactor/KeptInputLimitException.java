package io.katana.reactor;

import java.io.IOException;

/**
 * The cause passed to {@link ConnectionHandler#onClose} when a handler left more input unconsumed
 * than {@link ReactorConfig#maxKeptInputBytes()} allows: a peer sending a frame larger than the
 * handler will ever accept, or a handler that forgot to consume. Its message says the limit, how much
 * was kept, and how to raise the limit.
 */
public final class KeptInputLimitException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The limit in force. */
    private final long limit;
    /** The unconsumed bytes the connection held. */
    private final long kept;

    /**
     * Describes a connection that kept {@code kept} bytes over {@code limit}.
     *
     * @param kept unconsumed bytes held when the limit was found exceeded
     * @param limit the limit in force
     */
    public KeptInputLimitException(long kept, long limit) {
        super("the handler left " + kept + " bytes of input unconsumed, over the limit of " + limit
                + " bytes (ReactorConfig.maxKeptInputBytes); consume input in onRead, pause reading, or raise "
                + "the limit with ReactorConfig.withMaxKeptInputBytes");
        this.kept = kept;
        this.limit = limit;
    }

    /** {@return the limit in force, in bytes} */
    public long limit() {
        return limit;
    }

    /** {@return the unconsumed bytes the connection held} */
    public long kept() {
        return kept;
    }
}
