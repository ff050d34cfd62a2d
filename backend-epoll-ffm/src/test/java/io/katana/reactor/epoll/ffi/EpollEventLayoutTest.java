package io.katana.reactor.epoll.ffi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;

import io.katana.reactor.epoll.LinuxOnly;
import io.katana.reactor.spi.ffm.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

@LinuxOnly
class EpollEventLayoutTest {

    @Test
    void x86_64IsPackedTwelveBytesWithDataAtOffsetFour() {
        EpollEventLayout layout = EpollEventLayout.forArchitecture("amd64").orElseThrow();
        assertAll(
                () -> assertThat(layout.size()).isEqualTo(12),
                () -> assertThat(layout.dataOffset()).isEqualTo(4),
                () -> assertThat(layout.layout().byteOffset(PathElement.groupElement("data"))).isEqualTo(4),
                () -> assertThat(EpollEventLayout.forArchitecture("x86_64")).contains(layout));
    }

    @Test
    void aarch64IsNaturallyAlignedSixteenBytesWithDataAtOffsetEight() {
        EpollEventLayout layout = EpollEventLayout.forArchitecture("aarch64").orElseThrow();
        assertAll(
                () -> assertThat(layout.size()).isEqualTo(16),
                () -> assertThat(layout.dataOffset()).isEqualTo(8),
                () -> assertThat(layout.layout().byteOffset(PathElement.groupElement("data"))).isEqualTo(8));
    }

    @Test
    void unknownArchitecturesHaveNoLayout() {
        assertThat(EpollEventLayout.forArchitecture("riscv64")).isEmpty();
        assertThat(EpollEventLayout.forArchitecture("s390x")).isEmpty();
        assertThat(EpollEventLayout.forArchitecture("")).isEmpty();
    }

    @Test
    void thisMachineHasAKnownLayout() {
        assertThat(EpollEventLayout.current()).isPresent();
    }

    @Test
    void eventfdReadinessComesBackThroughEpollWaitWithOurData() {
        EpollEventLayout layout = EpollEventLayout.current().orElseThrow();
        long data = 0x1234_5678_9abc_def0L;
        try (Arena arena = Arena.ofConfined()) {
            Syscalls calls = new Syscalls(arena, layout);
            EpollEventArray events = new EpollEventArray(arena, layout, 4);
            int epfd = calls.epollCreate();
            int efd = calls.eventfd(LinuxConstants.EFD_NONBLOCK | LinuxConstants.EFD_CLOEXEC);
            assertThat(epfd).isNotNegative();
            assertThat(efd).isNotNegative();
            try {
                assertThat(calls.epollCtl(epfd, LinuxConstants.EPOLL_CTL_ADD, efd, LinuxConstants.EPOLLIN, data))
                        .isZero();
                assertThat(calls.epollWait(epfd, events, 0)).as("nothing ready yet").isZero();

                var one = arena.allocate(8, 8);
                one.asByteBuffer().order(ByteOrder.nativeOrder()).putLong(0, 1);
                assertThat(calls.write(efd, one.address(), 8)).isEqualTo(8);

                assertThat(calls.epollWait(epfd, events, 5_000)).isEqualTo(1);
                assertThat(events.events(0) & LinuxConstants.EPOLLIN).isEqualTo(LinuxConstants.EPOLLIN);
                assertThat(events.data(0)).isEqualTo(data);

                var counter = arena.allocate(8, 8);
                assertThat(calls.read(efd, counter.address(), 8)).isEqualTo(8);
                assertThat(counter.asByteBuffer().order(ByteOrder.nativeOrder()).getLong(0)).isEqualTo(1);
                assertThat(calls.read(efd, counter.address(), 8)).isEqualTo(-Errno.EAGAIN);
            } finally {
                calls.close(efd);
                calls.close(epfd);
            }
        }
    }

    @Test
    void eventDataSurvivesModifyAndRegistersManyFdsIndependently() {
        EpollEventLayout layout = EpollEventLayout.current().orElseThrow();
        try (Arena arena = Arena.ofConfined()) {
            Syscalls calls = new Syscalls(arena, layout);
            EpollEventArray events = new EpollEventArray(arena, layout, 8);
            int epfd = calls.epollCreate();
            int[] fds = new int[3];
            var one = arena.allocate(8, 8);
            one.asByteBuffer().order(ByteOrder.nativeOrder()).putLong(0, 1);
            try {
                for (int i = 0; i < fds.length; i++) {
                    fds[i] = calls.eventfd(LinuxConstants.EFD_NONBLOCK | LinuxConstants.EFD_CLOEXEC);
                    assertThat(calls.epollCtl(epfd, LinuxConstants.EPOLL_CTL_ADD, fds[i], LinuxConstants.EPOLLIN,
                            -1L - i)).isZero();
                    assertThat(calls.write(fds[i], one.address(), 8)).isEqualTo(8);
                }
                assertThat(calls.epollCtl(epfd, LinuxConstants.EPOLL_CTL_MOD, fds[1], LinuxConstants.EPOLLIN, 77L))
                        .isZero();
                int n = calls.epollWait(epfd, events, 5_000);
                assertThat(n).isEqualTo(3);
                long[] seen = new long[n];
                for (int i = 0; i < n; i++) seen[i] = events.data(i);
                assertThat(seen).containsExactlyInAnyOrder(-1L, 77L, -3L);
            } finally {
                for (int fd : fds) calls.close(fd);
                calls.close(epfd);
            }
        }
        // The raw layout also agrees with a ByteBuffer view of the packed struct on x86_64.
        if (layout.size() == 12) {
            ByteBuffer raw = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
            raw.putInt(0, LinuxConstants.EPOLLIN).putLong(4, 42L);
            assertThat(raw.getLong(layout.dataOffset() == 4 ? 4 : 8)).isEqualTo(42L);
        }
    }
}
