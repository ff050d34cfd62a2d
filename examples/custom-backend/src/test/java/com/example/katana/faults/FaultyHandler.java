package com.example.katana.faults;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectionHandler;
import java.nio.ByteBuffer;

/**
 * Passes a connection's events to the application's handler with the decorated connection, except
 * where the group's {@link Fault} says otherwise: reads after a resume dropped or held, a reset while
 * paused held back, a spin after a both-way shutdown.
 *
 * <p><b>Threading:</b> called on the connection's reactor thread; one instance per connection.
 */
final class FaultyHandler implements ConnectionHandler {
    private final FaultyGroup group;
    private final ConnectionHandler application;
    private volatile FaultyConnection connection;

    // Reactor thread only, but set from resumeReading, which may come from any thread: volatile.
    private volatile boolean firstReadAfterResume;
    private ByteBuffer held;
    private Throwable heldCloseCause;
    private boolean closeHeld;
    private boolean inputClosed;
    private boolean spinning;

    FaultyHandler(FaultyGroup group, ConnectionHandler application) {
        this.group = group;
        this.application = application;
    }

    FaultyConnection decorated(Connection inner) {
        FaultyConnection current = connection;
        if (current == null) {
            synchronized (this) {
                current = connection;
                if (current == null) {
                    current = new FaultyConnection(inner, group.decorated(inner.reactor()), group.fault(), this);
                    connection = current;
                }
            }
        }
        return current;
    }

    private Fault fault() {
        return group.fault();
    }

    /** From {@link FaultyConnection#resumeReading()}, on any thread, before the delegate resumes. */
    void resuming() {
        firstReadAfterResume = true;
        if (fault() == Fault.RESET_WHILE_PAUSED_UNREPORTED) {
            FaultyConnection outer = connection;
            outer.reactor().execute(() -> {
                if (closeHeld) {
                    closeHeld = false;
                    application.onClose(outer, heldCloseCause);
                }
            });
        }
    }

    /** From {@link FaultyConnection#shutdownOutput()}, on any thread. */
    void outputShut() {
        if (fault() == Fault.HANG_UP_SPIN) {
            FaultyConnection outer = connection;
            outer.reactor().execute(() -> spinIfShutBothWays(outer));
        }
    }

    @Override
    public void onOpen(Connection inner) {
        application.onOpen(decorated(inner));
    }

    @Override
    public void onRead(Connection inner, ByteBuffer data) {
        FaultyConnection outer = decorated(inner);
        boolean first = firstReadAfterResume;
        firstReadAfterResume = false;
        if (fault() == Fault.KEPT_BYTES_LOST_ON_RESUME && first) {
            data.position(data.limit()); // the fault: what was kept across the pause is gone
            return;
        }
        if (fault() == Fault.KEPT_BYTES_STUCK_AT_FIN && (first || held != null)) {
            if (held == null) {
                held = ByteBuffer.allocate(data.remaining()).put(data).flip(); // the fault: held until newer input
                return;
            }
            ByteBuffer combined = ByteBuffer.allocate(held.remaining() + data.remaining()).put(held).put(data).flip();
            held = null;
            application.onRead(outer, combined);
            if (combined.hasRemaining()) {
                held = ByteBuffer.allocate(combined.remaining()).put(combined).flip();
            }
            return;
        }
        application.onRead(outer, data);
    }

    @Override
    public void onWritabilityChanged(Connection inner, boolean writable) {
        application.onWritabilityChanged(decorated(inner), writable);
    }

    @Override
    public void onInputClosed(Connection inner) {
        FaultyConnection outer = decorated(inner);
        held = null; // KEPT_BYTES_STUCK_AT_FIN: what was held is lost at the FIN
        inputClosed = true;
        application.onInputClosed(outer);
        if (fault() == Fault.HANG_UP_SPIN) {
            spinIfShutBothWays(outer);
        }
    }

    @Override
    public void onShutdown(Connection inner) {
        application.onShutdown(decorated(inner));
    }

    @Override
    public void onClose(Connection inner, Throwable cause) {
        FaultyConnection outer = decorated(inner);
        if (fault() == Fault.RESET_WHILE_PAUSED_UNREPORTED && cause != null && outer.pausedByApplication()) {
            closeHeld = true; // the fault: the reset waits for a resume that may never come
            heldCloseCause = cause;
            return;
        }
        application.onClose(outer, cause);
    }

    /** Reactor thread: HANG_UP_SPIN's busy loop, once both directions are shut. */
    private void spinIfShutBothWays(FaultyConnection outer) {
        if (spinning || !inputClosed || !outer.outputShutByApplication()) {
            return;
        }
        spinning = true;
        Runnable spin = new Runnable() {
            @Override
            public void run() {
                if (outer.isOpen()) {
                    try {
                        outer.reactor().execute(this);
                    } catch (java.util.concurrent.RejectedExecutionException ended) {
                        // the reactor has ended; so has the spin
                    }
                }
            }
        };
        outer.reactor().execute(spin);
    }
}
