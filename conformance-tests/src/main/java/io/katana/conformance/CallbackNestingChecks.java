package io.katana.conformance;

import static io.katana.conformance.Bytes.KIB;
import static io.katana.conformance.Bytes.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.WaterMarks;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Callbacks never overlap, not even when a handler's own call crosses a water mark: a change of
 * writability caused by {@code write} or {@code flush} inside {@code onRead} is delivered after
 * {@code onRead} returns, in order, and agrees with {@code isWritable()} when it comes.
 */
final class CallbackNestingChecks {

    private final Harness h;

    CallbackNestingChecks(Harness harness) {
        this.h = harness;
    }

    void writabilityChangesCausedInsideOnReadComeAfterItReturns() throws IOException {
        WaterMarks marks = new WaterMarks(16 * KIB, 32 * KIB);
        List<String> mismatches = new CopyOnWriteArrayList<>();
        Scripted server = new Scripted()
                .whenRead((c, data) -> {
                    String request = Bytes.ascii(Bytes.remaining(data));
                    data.position(data.limit());
                    // "big": more than the peer's buffers hold, so the connection stays unwritable;
                    // "small": over the high mark, but the socket takes it all at the flush.
                    int size = request.startsWith("big") ? 8 * MIB : 48 * KIB;
                    c.write(Bytes.pattern(0, size, true));
                    c.flush();
                })
                .whenWritabilityChanged((c, writable) -> {
                    if (c.isWritable() != writable) {
                        mismatches.add("onWritabilityChanged(" + writable + ") while isWritable() was " + !writable);
                    }
                });
        Listener listener = h.listen(h.server(), ListenOptions.DEFAULT.withWaterMarks(marks), () -> server);
        Socket peer = h.rawClient(listener.localAddress(), 64 * KIB);

        peer.getOutputStream().write(Bytes.ascii("small"));
        Bytes.readPattern(peer.getInputStream(), 48 * KIB, () -> {});
        server.awaitLog(log -> log.contains("writable"), "writable again after the 48 KiB written inside onRead drained");
        assertThat(server.log()).as("callbacks").containsExactly("open", "read:small", "unwritable", "writable");

        peer.getOutputStream().write(Bytes.ascii("big"));
        server.awaitLog(log -> log.size() >= 6, "onWritabilityChanged(false) after an 8 MiB write inside onRead");
        assertThat(server.log().subList(4, 6)).as("callbacks; all: " + server.log())
                .containsExactly("read:big", "unwritable");
        Bytes.readPattern(peer.getInputStream(), 8 * MIB, () -> {});
        server.awaitLog(log -> log.size() >= 7, "writable again once the peer read 8 MiB");
        assertThat(server.log().get(6)).isEqualTo("writable");

        assertThat(server.overlaps()).as("callbacks that began inside another callback").isEmpty();
        assertThat(mismatches).isEmpty();
    }
}
