package io.katana.reactor.epoll.ffi;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.Locale;
import java.util.Optional;

/**
 * The layout of {@code struct epoll_event} ({@code uint32_t events; epoll_data_t data;}) on one CPU
 * architecture.
 *
 * <p>The kernel declares the struct packed on x86_64 only ({@code EPOLL_PACKED}), so there it is 12
 * bytes with the 64-bit {@code data} at offset 4; everywhere else it follows natural alignment: 16
 * bytes, {@code data} at offset 8. Only architectures checked against the kernel headers are known;
 * on any other the backend declines to run rather than guess. Immutable.
 *
 * @param architecture the normalised {@code os.arch} this layout is for
 * @param layout the struct layout, usable with {@link java.lang.foreign.SegmentAllocator}
 * @param dataOffset byte offset of {@code data} within one event
 */
public record EpollEventLayout(String architecture, StructLayout layout, long dataOffset) {

    /** Offset of {@code events} within one event; the same on every architecture. */
    public static final long EVENTS_OFFSET = 0;

    private static final EpollEventLayout X86_64 = new EpollEventLayout("x86_64",
            MemoryLayout.structLayout(JAVA_INT.withName("events"), JAVA_LONG_UNALIGNED.withName("data"))
                    .withName("epoll_event"),
            4);

    private static final EpollEventLayout AARCH64 = new EpollEventLayout("aarch64",
            MemoryLayout.structLayout(JAVA_INT.withName("events"), MemoryLayout.paddingLayout(4),
                            JAVA_LONG.withName("data"))
                    .withName("epoll_event"),
            8);

    /** Bytes of one event, the stride of an event array. */
    public long size() {
        return layout.byteSize();
    }

    /** The layout for an {@code os.arch} value, or empty when this backend does not know it. */
    public static Optional<EpollEventLayout> forArchitecture(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64" -> Optional.of(X86_64);
            case "aarch64", "arm64" -> Optional.of(AARCH64);
            default -> Optional.empty();
        };
    }

    /** The layout for the running JVM's architecture, or empty when it is not known. */
    public static Optional<EpollEventLayout> current() {
        return forArchitecture(System.getProperty("os.arch", ""));
    }
}
