package io.katana.reactor.epoll.ffi;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.epoll.LinuxOnly;
import io.katana.reactor.spi.ffm.Errno;
import io.katana.reactor.spi.ffm.ErrnoException;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

@LinuxOnly
class ErrnoTest {

    @Test
    void namesAndDescribesTheErrorsTheReactorMeets() {
        assertThat(Errno.describe(Errno.ECONNRESET)).isEqualTo("ECONNRESET (Connection reset by peer)");
        assertThat(Errno.describe(Errno.EMFILE)).isEqualTo("EMFILE (Too many open files)");
        assertThat(Errno.describe(Errno.EAGAIN)).isEqualTo("EAGAIN (Resource temporarily unavailable)");
        assertThat(Errno.describe(Errno.EINPROGRESS)).isEqualTo("EINPROGRESS (Operation now in progress)");
        assertThat(Errno.describe(Errno.ECONNREFUSED)).isEqualTo("ECONNREFUSED (Connection refused)");
        assertThat(Errno.describe(Errno.EADDRINUSE)).isEqualTo("EADDRINUSE (Address already in use)");
    }

    @Test
    void unknownNumbersAreStillReportedByNumber() {
        assertThat(Errno.name(4095)).isEqualTo("errno 4095");
        assertThat(Errno.name(-3)).isEqualTo("errno -3");
        assertThat(Errno.describe(200)).isEqualTo("errno 200 (unknown error)");
    }

    @Test
    void exceptionMessageNamesTheCallAndTheErrno() {
        ErrnoException e = new ErrnoException("send", Errno.ECONNRESET);
        assertThat(e).hasMessage("send failed: ECONNRESET (Connection reset by peer)");
        assertThat(e.errno()).isEqualTo(104);
        assertThat(e.errnoName()).isEqualTo("ECONNRESET");
        assertThat(e.operation()).isEqualTo("send");
        assertThat(Syscalls.failure("accept4", -Errno.EMFILE))
                .hasMessage("accept4 failed: EMFILE (Too many open files)");
    }

    @Test
    void classifiesPeerLossAndResourceExhaustion() {
        assertThat(Errno.isPeerGone(Errno.ECONNRESET)).isTrue();
        assertThat(Errno.isPeerGone(Errno.EPIPE)).isTrue();
        assertThat(Errno.isPeerGone(Errno.EAGAIN)).isFalse();
        assertThat(Errno.isResourceExhaustion(Errno.EMFILE)).isTrue();
        assertThat(Errno.isResourceExhaustion(Errno.ENFILE)).isTrue();
        assertThat(Errno.isResourceExhaustion(Errno.ECONNABORTED)).isFalse();
    }

    @Test
    void capturesTheKernelsErrnoPerCall() {
        try (Arena arena = Arena.ofConfined()) {
            Syscalls calls = new Syscalls(arena, EpollEventLayout.current().orElseThrow());
            assertThat(calls.close(-1)).isEqualTo(-Errno.EBADF);
            assertThat(calls.errno()).isEqualTo(Errno.EBADF);
            assertThat(calls.epollCtl(-1, LinuxConstants.EPOLL_CTL_ADD, 0, LinuxConstants.EPOLLIN, 0))
                    .isEqualTo(-Errno.EBADF);
            int efd = calls.eventfd(LinuxConstants.EFD_NONBLOCK | LinuxConstants.EFD_CLOEXEC);
            try {
                var buffer = arena.allocate(8, 8);
                assertThat(calls.read(efd, buffer.address(), 8)).isEqualTo(-Errno.EAGAIN);
                // Reading less than 8 bytes from an eventfd is EINVAL: the capture follows each call.
                assertThat(calls.read(efd, buffer.address(), 4)).isEqualTo(-Errno.EINVAL);
            } finally {
                assertThat(calls.close(efd)).isZero();
            }
        }
    }
}
