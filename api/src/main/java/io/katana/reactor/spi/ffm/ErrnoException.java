package io.katana.reactor.spi.ffm;

import java.io.IOException;

/**
 * A system call failed; the message names the call and the {@code errno}, for example {@code send
 * failed: ECONNRESET (Connection reset by peer)}.
 *
 * <p>Immutable once thrown; safe to hand between threads.
 */
public final class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The call that failed. */
    private final String operation;
    /** The positive errno. */
    private final int errno;

    /**
     * Creates the exception for a failed call.
     *
     * @param operation the call that failed, such as {@code send} or {@code bind 127.0.0.1:8080}
     * @param errno the positive {@code errno} the kernel returned
     */
    public ErrnoException(String operation, int errno) {
        super(operation + " failed: " + Errno.describe(errno));
        this.operation = operation;
        this.errno = errno;
    }

    /** {@return the call that failed, as given when this was thrown} */
    public String operation() {
        return operation;
    }

    /** {@return the positive {@code errno} value} */
    public int errno() {
        return errno;
    }

    /** {@return the symbolic name of {@link #errno()}, such as {@code EMFILE}} */
    public String errnoName() {
        return Errno.name(errno);
    }
}
