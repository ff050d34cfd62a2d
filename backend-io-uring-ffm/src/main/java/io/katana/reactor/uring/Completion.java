package io.katana.reactor.uring;

/**
 * What a ring operation's {@code user_data} leads to: a connection, an acceptor, a connect in
 * progress or the reactor's wakeup read. The tag says which of its operations completed.
 *
 * <p><b>Threading:</b> loop only.
 */
interface Completion {
    /** A receive (multishot, into a provided buffer). */
    int RECV = 1;
    /** A send or sendmsg. */
    int SEND = 2;
    /** An accept (multishot). */
    int ACCEPT = 3;
    /** A one-shot poll. */
    int POLL = 4;
    /** The wakeup eventfd's read. */
    int WAKE = 5;

    /** Operation {@code tag} completed with {@code result} (or {@code -errno}) and CQE {@code flags}. */
    void complete(int tag, int result, int flags);

    /** The reactor is ending with this registration still present: release what it holds. Must not throw. */
    void closeOnTermination();
}
