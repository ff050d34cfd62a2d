package io.katana.reactor.uring;

import com.google.auto.service.AutoService;
import io.katana.reactor.Availability;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.spi.ReactorProvider;

/**
 * The {@code io_uring} backend: Linux io_uring called through the Foreign Function and Memory API,
 * completion-based. Priority 50: chosen over {@code nio} (10) but not over {@code epoll-ffm} (100)
 * until measurements show it at least as good in every scenario; {@code --backend io_uring} or
 * {@code -Dkatana.reactor=io_uring} forces it.
 *
 * <p>It is unavailable off Linux, without {@code --enable-native-access} for this module, where
 * io_uring is disabled ({@code kernel.io_uring_disabled}, or a seccomp filter that makes {@code
 * io_uring_setup} fail with {@code EPERM}), or on a kernel that lacks a feature or an operation it
 * uses; {@link #availability()} then says which.
 *
 * <p><b>Threading:</b> every method may be called from any thread.
 */
@AutoService(ReactorProvider.class)
public final class UringReactorProvider implements ReactorProvider {

    /** The name users pass to pick this backend. */
    public static final String NAME = "io_uring";

    /** Required by {@link java.util.ServiceLoader}. */
    public UringReactorProvider() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 50;
    }

    @Override
    public Availability availability() {
        return UringAvailability.current();
    }

    @Override
    public String toString() {
        return NAME;
    }

    @Override
    public ReactorGroup open(ReactorConfig config) {
        ensureAvailability();
        return new UringReactorGroup(config);
    }
}
