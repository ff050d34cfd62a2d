package io.katana.reactor;

/**
 * A snapshot of one reactor's counters, or their sum over a group. Counters only grow, except
 * {@link #activeConnections()}, which is derived.
 *
 * <p>Immutable. Taken from any thread; each figure is read atomically but the set is not one instant.
 *
 * @param connectionsAccepted connections accepted from listeners
 * @param connectionsConnected outgoing connections established
 * @param connectionsClosed connections closed, for any reason
 * @param bytesRead bytes read from sockets
 * @param bytesWritten bytes the sockets accepted
 * @param requests requests a protocol layer reported as answered (see {@link Reactor#recordRequests})
 * @param errors connections closed by an error: a reset, an I/O failure or a handler's exception
 * @param loopIterations times the loop polled for readiness
 * @param tasksRun tasks and timer actions run on the loop
 */
public record ReactorStats(
        long connectionsAccepted,
        long connectionsConnected,
        long connectionsClosed,
        long bytesRead,
        long bytesWritten,
        long requests,
        long errors,
        long loopIterations,
        long tasksRun) {

    /** All zero. */
    public static final ReactorStats ZERO = new ReactorStats(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** {@return connections open now: accepted plus connected, less closed} */
    public long activeConnections() {
        return connectionsAccepted + connectionsConnected - connectionsClosed;
    }

    /**
     * {@return the sum of this and {@code other}, for totals over a group}
     *
     * @param other the counters to add
     */
    public ReactorStats plus(ReactorStats other) {
        return new ReactorStats(
                connectionsAccepted + other.connectionsAccepted,
                connectionsConnected + other.connectionsConnected,
                connectionsClosed + other.connectionsClosed,
                bytesRead + other.bytesRead,
                bytesWritten + other.bytesWritten,
                requests + other.requests,
                errors + other.errors,
                loopIterations + other.loopIterations,
                tasksRun + other.tasksRun);
    }
}
