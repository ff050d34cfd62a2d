package io.katana.reactor.nio;

import io.katana.reactor.ListenOptions;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket on one reactor. It accepts in a batch until the kernel has no more, and hands
 * each connection to a reactor: its own with {@code SO_REUSEPORT}, otherwise the group's next. When
 * accepting fails (out of file descriptors, say) it stops asking for a while instead of spinning, and
 * logs once per pause.
 *
 * <p><b>Threading:</b> loop only, except {@link #close()}.
 */
final class NioAcceptor implements SelectionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(NioAcceptor.class);
    private static final long ACCEPT_PAUSE_MILLIS = 100;
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final NioListener listener;
    private final NioReactor reactor;
    private final ServerSocketChannel server;
    private SelectionKey key;
    private boolean closed;
    private long lastFailureLog = System.nanoTime() - LOG_INTERVAL_NANOS;
    private long failuresSinceLog;

    NioAcceptor(NioListener listener, NioReactor reactor, ServerSocketChannel server) {
        this.listener = listener;
        this.reactor = reactor;
        this.server = server;
    }

    /** Registers with the reactor; completes when accepting has begun. */
    CompletableFuture<Void> start() {
        CompletableFuture<Void> started = new CompletableFuture<>();
        try {
            reactor.execute(() -> {
                try {
                    key = server.register(reactor.selector(), SelectionKey.OP_ACCEPT, this);
                    started.complete(null);
                } catch (IOException | RuntimeException e) {
                    closeNow();
                    started.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            closeNow(); // the reactor has ended: nothing else can touch this channel
            started.completeExceptionally(e);
        }
        return started;
    }

    @Override
    public void ready(int readyOps) {
        while (!closed) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                pauseAccepting(e);
                return;
            }
            if (channel == null) {
                return;
            }
            hand(channel);
        }
    }

    private void hand(SocketChannel channel) {
        if (!listener.tryAdmit()) {
            closeQuietly(channel); // past the connection limit: refuse cleanly, keep serving the others
            return;
        }
        ListenOptions options = listener.options();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, options.tcpNoDelay());
            if (options.receiveBufferSize() > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
            }
            if (options.sendBufferSize() > 0) {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBufferSize());
            }
        } catch (IOException e) {
            LOG.debug("configuring an accepted connection failed; dropping it", e);
            closeQuietly(channel);
            listener.release();
            return;
        }
        NioReactor target = options.reusePort() ? reactor : (NioReactor) listener.group().next();
        if (target == reactor) {
            listener.group().adopt(target, channel, listener);
        } else {
            try {
                target.execute(() -> listener.group().adopt(target, channel, listener));
            } catch (RuntimeException e) {
                closeQuietly(channel);
                listener.release();
            }
        }
    }

    private void pauseAccepting(IOException cause) {
        failuresSinceLog++;
        long now = System.nanoTime();
        if (now - lastFailureLog >= LOG_INTERVAL_NANOS) {
            LOG.warn("accepting on {} failed ({}; {} time(s) since the last report); pausing accepts for {} ms",
                    listener.localAddress(), cause.getMessage(), failuresSinceLog, ACCEPT_PAUSE_MILLIS);
            lastFailureLog = now;
            failuresSinceLog = 0;
        }
        if (key != null && key.isValid()) {
            key.interestOps(0);
            reactor.schedule(ACCEPT_PAUSE_MILLIS, TimeUnit.MILLISECONDS, () -> {
                if (!closed && key.isValid()) {
                    key.interestOps(SelectionKey.OP_ACCEPT);
                }
            });
        }
    }

    /** Stops accepting and closes the socket on the reactor; completes when done. */
    CompletableFuture<Void> close() {
        if (reactor.inEventLoop()) {
            closeNow();
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            reactor.execute(() -> {
                closeNow();
                done.complete(null);
            });
        } catch (RuntimeException e) {
            closeNow(); // the reactor has ended; closing the channel from here is safe
            done.complete(null);
        }
        return done;
    }

    private void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        if (key != null) {
            key.cancel();
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing {} failed", server, e);
        }
        if (reactor.inEventLoop()) {
            reactor.releaseCancelledKeys(); // a closed listener must refuse connections from now on
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do for a connection we never used
        }
    }
}
