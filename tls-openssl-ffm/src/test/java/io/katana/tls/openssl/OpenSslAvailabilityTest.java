package io.katana.tls.openssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katana.reactor.Availability;
import io.katana.reactor.spi.ffm.NativeAvailability;
import io.katana.tls.TlsEngineUnavailableException;
import io.katana.tls.TlsServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each way the openssl engine can be unavailable that a test can provoke, and the reason it gives. */
class OpenSslAvailabilityTest {

    private static boolean linux() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux");
    }

    @Test
    void isAvailableOnLinuxWithOpenSsl3AndNativeAccess() {
        assumeTrue(linux(), "the engine runs on Linux only");
        Availability availability = new OpenSslTlsEngineProvider().availability();

        assertThat(availability.available()).as(availability.reason()).isTrue();
    }

    @Test
    void aMissingLibraryIsNamedWithTheFix() {
        assumeTrue(linux(), "library names are Linux's");

        Availability availability = OpenSslAvailability.evaluate("Linux", true, "libssl-katana-missing.so.3",
                LibSsl.LIBCRYPTO);

        assertThat(availability.available()).isFalse();
        assertThat(availability.reason()).contains("cannot load OpenSSL 3").contains("libssl-katana-missing.so.3")
                .contains("apt-get install libssl3");
        assertThat(availability.cause()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anotherSystemIsNamed() {
        Availability availability = OpenSslAvailability.evaluate("Mac OS X", true, LibSsl.LIBSSL, LibSsl.LIBCRYPTO);

        assertThat(availability.available()).isFalse();
        assertThat(availability.reason()).contains("this is Mac OS X").contains("jdk engine");
    }

    @Test
    void nativeAccessOffIsCheckedBeforeAnyNativeCall() {
        Availability availability = OpenSslAvailability.evaluate("Linux", false, "libssl-katana-missing.so.3", "none");

        assertThat(availability.available()).isFalse();
        assertThat(availability.reason()).isEqualTo(NativeAvailability.nativeAccessDisabled(OpenSslAvailability.MODULE))
                .contains("--enable-native-access=io.katana.tls.openssl");
    }

    @Test
    void versionsReadAsOpenSslWritesThem() {
        assertThat(OpenSslAvailability.versionText(0x30000130L)).isEqualTo("3.0.19");
        assertThat(OpenSslAvailability.versionText(0x1010117fL)).isEqualTo("1.1.1");
        assertThat(0x1010117fL).isLessThan(OpenSslAvailability.MINIMUM_VERSION);
    }

    /** A JVM started without {@code --enable-native-access} reports the engine unavailable and refuses contexts. */
    @Test
    void aJvmWithoutNativeAccessGetsTheReason() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--illegal-native-access=deny", "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("available=false").contains(NativeAvailability.nativeAccessDisabled(OpenSslAvailability.MODULE))
                .contains("refused: TLS engine openssl unavailable: native access not enabled");
    }

    /** Run in the child JVM: prints the availability and what opening a context does. */
    static final class Probe {
        public static void main(String[] args) {
            OpenSslTlsEngineProvider engine = new OpenSslTlsEngineProvider();
            System.out.println("available=" + engine.isAvailable() + " reason=" + engine.availability().reason());
            try {
                engine.newServerContext(TlsServerConfig.builder(TestIdentities.identity("server-ec")).build());
            } catch (TlsEngineUnavailableException expected) {
                System.out.println("refused: " + expected.getMessage());
            } catch (RuntimeException other) {
                System.out.println("other: " + other);
            }
        }
    }
}
