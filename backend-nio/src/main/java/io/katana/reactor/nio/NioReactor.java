package io.katana.reactor.nio;

import io.katana.reactor.ReactorConfig;
import io.katana.reactor.spi.EventLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A reactor on one {@link Selector}. Ready keys are handed to their attached {@link
 * SelectionHandler} through {@link Selector#select(Consumer, long)}, which needs no selected-key set.
 *
 * <p><b>Threading:</b> as {@link EventLoop}; the selector is used by the loop only, except for
 * {@link Selector#wakeup()}.
 */
final class NioReactor extends EventLoop {
    private final Selector selector;
    private final Consumer<SelectionKey> dispatch = this::dispatch;
    private ByteBuffer[] gather = new ByteBuffer[16];
    private int[] gatherPositions = new int[16];
    private ByteBuffer fileLead;
    private long fileLeadReads;

    NioReactor(NioReactorGroup group, ReactorConfig config, int index) {
        super(group, config, index);
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for reactor " + index, e);
        }
    }

    Selector selector() {
        return selector;
    }

    /** Loop only: a scratch array for one gathering write of {@code chunks} buffers, shared by all connections. */
    ByteBuffer[] gatherArray(int chunks) {
        if (gather.length < chunks) {
            int size = Integer.highestOneBit(chunks) << 1;
            gather = new ByteBuffer[size];
            gatherPositions = new int[size];
        }
        return gather;
    }

    /** Loop only: scratch space, as long as {@link #gatherArray}, for the chunks' positions. */
    int[] gatherPositions() {
        return gatherPositions;
    }

    /**
     * Loop only: a direct buffer, made on the first use, into which a connection reads the start of a
     * file to write it together with the response head before it (see {@link NioConnection}); cleared.
     */
    ByteBuffer fileLead() {
        if (fileLead == null) {
            fileLead = ByteBuffer.allocateDirect(NioConnection.FILE_LEAD);
        }
        fileLeadReads++;
        return fileLead.clear();
    }

    /** Loop only: how many file leads were read into {@link #fileLead}, so a test can see a read repeated. */
    long fileLeadReads() {
        return fileLeadReads;
    }

    @Override
    protected void poll(long timeoutNanos) throws IOException {
        if (timeoutNanos == 0) {
            selector.selectNow(dispatch);
        } else if (timeoutNanos < 0) {
            selector.select(dispatch);
        } else {
            // Round up: a timer must never fire early because the selector woke a little before it.
            selector.select(dispatch, Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999)));
        }
    }

    /**
     * Loop only: makes the selector drop cancelled keys now, so that channels closed since the last
     * poll release their sockets at once (a registered channel's close is otherwise deferred to the
     * next poll). Readiness it sees is ignored here and reported again, the selector being
     * level-triggered.
     */
    void releaseCancelledKeys() {
        try {
            selector.selectNow(key -> {});
        } catch (IOException e) {
            // the next poll releases them instead
        }
    }

    private void dispatch(SelectionKey key) {
        markAwake(); // a release store: cheap enough per key, and the selector has no hook between wait and dispatch
        if (key.isValid()) {
            ((SelectionHandler) key.attachment()).ready(key.readyOps());
        }
    }

    @Override
    protected void wakeUp() {
        selector.wakeup();
    }

    @Override
    protected void closeSelector() throws IOException {
        selector.close();
    }
}
