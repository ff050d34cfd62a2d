package io.katana.reactor.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.Availability;
import io.katana.reactor.Reactors;
import io.katana.reactor.spi.ReactorProvider;
import io.katana.reactor.spi.ffm.Errno;
import io.katana.reactor.spi.ffm.ErrnoException;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EpollAvailabilityTest {

    private static final java.util.function.Supplier<Throwable> PROBE_OK = () -> null;

    @Test
    void availableOnLinuxWithAKnownLayoutNativeAccessAndAWorkingProbe() {
        assertThat(EpollAvailability.evaluate("Linux", "amd64", true, PROBE_OK)).isEqualTo(Availability.AVAILABLE);
        assertThat(EpollAvailability.evaluate("Linux", "aarch64", true, PROBE_OK).available()).isTrue();
    }

    @Test
    void unavailableOffLinux() {
        Availability mac = EpollAvailability.evaluate("Mac OS X", "aarch64", true, PROBE_OK);
        assertThat(mac.available()).isFalse();
        assertThat(mac.reason()).isEqualTo("epoll exists only on Linux; this is Mac OS X");
    }

    @Test
    void unavailableOnAnArchitectureWhoseLayoutIsUnknown() {
        Availability riscv = EpollAvailability.evaluate("Linux", "riscv64", true, PROBE_OK);
        assertThat(riscv.available()).isFalse();
        assertThat(riscv.reason()).contains("riscv64").contains("epoll_event layout");
    }

    @Test
    void unavailableWithoutNativeAccessAndTheReasonNamesTheFlag() {
        Availability noAccess = EpollAvailability.evaluate("Linux", "amd64", false, PROBE_OK);
        assertThat(noAccess.available()).isFalse();
        assertThat(noAccess.reason()).isEqualTo("native access not enabled; add "
                + "--enable-native-access=io.katana.reactor.epoll (or ALL-UNNAMED on the class path)");
    }

    @Test
    void probeRunsOnlyAfterTheOtherChecksPass() {
        AtomicInteger probes = new AtomicInteger();
        java.util.function.Supplier<Throwable> counting = () -> {
            probes.incrementAndGet();
            return null;
        };
        EpollAvailability.evaluate("Windows 11", "amd64", true, counting);
        EpollAvailability.evaluate("Linux", "sparc", true, counting);
        EpollAvailability.evaluate("Linux", "amd64", false, counting);
        assertThat(probes).hasValue(0);
        EpollAvailability.evaluate("Linux", "amd64", true, counting);
        assertThat(probes).hasValue(1);
    }

    @Test
    void aFailingProbeIsReportedWithItsCause() {
        ErrnoException emfile = new ErrnoException("epoll_create1", Errno.EMFILE);
        Availability failed = EpollAvailability.evaluate("Linux", "amd64", true, () -> emfile);
        assertThat(failed.available()).isFalse();
        assertThat(failed.reason()).isEqualTo("probe failed: epoll_create1 failed: EMFILE (Too many open files)");
        assertThat(failed.cause()).isSameAs(emfile);
    }

    @Test
    void aThrowingProbeNeverEscapes() {
        Availability failed = EpollAvailability.evaluate("Linux", "amd64", true, () -> {
            throw new UnsatisfiedLinkError("no epoll_create1");
        });
        assertThat(failed.available()).isFalse();
        assertThat(failed.reason()).startsWith("probe failed:").contains("no epoll_create1");
    }

    @Test
    void theRealProbeSucceedsHere() {
        assertThat(EpollAvailability.probe()).isNull();
    }

    @Test
    void currentIsAvailableUnderTheTestFlagsAndComputedOnce() {
        assertThat(EpollAvailability.current().available()).as(EpollAvailability.current().toString()).isTrue();
        assertThat(EpollAvailability.current()).isSameAs(EpollAvailability.current());
    }

    @Test
    void providerIsFoundByServiceLoaderAndOutranksNio() {
        ReactorProvider provider = ServiceLoader.load(ReactorProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("epoll-ffm"))
                .findFirst()
                .orElseThrow();
        assertThat(provider).isInstanceOf(EpollReactorProvider.class);
        assertThat(provider.priority()).isEqualTo(100).isGreaterThan(10);
        assertThat(provider.isAvailable()).isTrue();
        assertThat(provider.unavailabilityCause()).isNull();
        assertThat(Reactors.named("epoll-ffm")).isInstanceOf(EpollReactorProvider.class);
    }
}
