package io.katana.reactor.epoll;

import io.katana.reactor.epoll.ffi.LinuxConstants;
import java.util.Locale;

/**
 * Edge- or level-triggered epoll registrations. Edge is the default: every connection is registered
 * once for input and output and never modified, so interest changes (pause, resume, a write that
 * would block) cost no {@code epoll_ctl}; see docs/BENCHMARKS.md for the measurement. Level is kept,
 * selectable with {@code -Dkatana.epoll.trigger=level}, to compare the two.
 */
enum TriggerMode {
    EDGE,
    LEVEL;

    /** The system property that selects the mode. */
    static final String PROPERTY = "katana.epoll.trigger";

    /** The mode asked for with {@value #PROPERTY}, edge when unset. */
    static TriggerMode configured() {
        String value = System.getProperty(PROPERTY, "edge").trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "edge", "et" -> EDGE;
            case "level", "lt" -> LEVEL;
            default -> throw new IllegalArgumentException(
                    "-D" + PROPERTY + "=" + value + " is not a trigger mode; use edge or level");
        };
    }

    /** The flag to add to every registration's events. */
    int flag() {
        return this == EDGE ? LinuxConstants.EPOLLET : 0;
    }
}
