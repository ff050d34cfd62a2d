package io.katana.reactor.spi.ffm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class SocketAddressCodecTest {

    @Test
    void encodesIpv4InNetworkByteOrder() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(SocketAddressCodec.SOCKADDR_STORAGE_SIZE);
            dst.fill((byte) 0x55);
            var address = new InetSocketAddress(InetAddress.getByName("192.168.1.20"), 0x1f90);
            int length = SocketAddressCodec.encode(address, dst);
            assertThat(length).isEqualTo(16);
            byte[] raw = dst.asSlice(0, 16).toArray(JAVA_BYTE);
            byte familyLow = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? raw[0] : raw[1];
            assertThat(familyLow).isEqualTo((byte) SocketAddressCodec.AF_INET);
            assertThat(new byte[] {raw[2], raw[3]}).containsExactly(0x1f, 0x90);
            assertThat(new byte[] {raw[4], raw[5], raw[6], raw[7]}).containsExactly(192, 168, 1, 20);
            assertThat(new byte[] {raw[8], raw[9], raw[10], raw[11], raw[12], raw[13], raw[14], raw[15]})
                    .as("sin_zero is zeroed").containsOnly(0);
            assertThat(SocketAddressCodec.decode(dst, length)).isEqualTo(address);
        }
    }

    @Test
    void encodesIpv6WithPortAddressAndScope() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(SocketAddressCodec.SOCKADDR_STORAGE_SIZE);
            var address = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 65535);
            int length = SocketAddressCodec.encode(address, dst);
            assertThat(length).isEqualTo(28);
            byte[] raw = dst.asSlice(0, 28).toArray(JAVA_BYTE);
            assertThat(new byte[] {raw[2], raw[3]}).containsExactly(0xff, 0xff);
            assertThat(raw[8]).isEqualTo((byte) 0x20);
            assertThat(raw[9]).isEqualTo((byte) 0x01);
            assertThat(raw[23]).isEqualTo((byte) 0x01);
            assertThat(SocketAddressCodec.flowInfo(dst)).isZero();
            assertThat(SocketAddressCodec.decode(dst, length)).isEqualTo(address);

            byte[] linkLocal = InetAddress.getByName("fe80::1").getAddress();
            var scoped = new InetSocketAddress(Inet6Address.getByAddress(null, linkLocal, 3), 80);
            SocketAddressCodec.encode(scoped, dst);
            InetSocketAddress back = SocketAddressCodec.decode(dst, 28);
            assertThat(((Inet6Address) back.getAddress()).getScopeId()).isEqualTo(3);
            assertThat(back.getPort()).isEqualTo(80);
        }
    }

    @Test
    void ipv4MappedIpv6DecodesAsIpv4() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(SocketAddressCodec.SOCKADDR_STORAGE_SIZE);
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            mapped[12] = 127;
            mapped[15] = 1;
            dst.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) SocketAddressCodec.AF_INET6);
            dst.set(java.lang.foreign.ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) 8080);
            MemorySegment.copy(mapped, 0, dst, JAVA_BYTE, 8, 16);
            InetSocketAddress decoded = SocketAddressCodec.decode(dst, 28);
            assertThat(decoded.getAddress()).isInstanceOf(Inet4Address.class);
            assertThat(decoded.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(decoded.getPort()).isEqualTo(8080);
        }
    }

    @Test
    void decodeInetGivesNullForANonIpFamilyAndDecodesIpOnes() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(SocketAddressCodec.SOCKADDR_STORAGE_SIZE);
            InetSocketAddress ip = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 8080);
            int length = SocketAddressCodec.encode(ip, dst);
            assertThat(SocketAddressCodec.decodeInet(dst, length)).isEqualTo(ip);
            assertThat(SocketAddressCodec.decodeInet(dst, 1)).isNull();
            dst.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) 1); // AF_UNIX
            assertThat(SocketAddressCodec.decodeInet(dst, length)).isNull();
        }
    }

    @Test
    void familyFollowsTheAddressKind() throws Exception {
        assertThat(SocketAddressCodec.family(new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 1)))
                .isEqualTo(SocketAddressCodec.AF_INET);
        assertThat(SocketAddressCodec.family(new InetSocketAddress(InetAddress.getByName("::1"), 1)))
                .isEqualTo(SocketAddressCodec.AF_INET6);
    }

    @Test
    void rejectsWhatItCannotEncodeOrDecodeWithAClearMessage() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(SocketAddressCodec.SOCKADDR_STORAGE_SIZE);
            assertThatThrownBy(() -> SocketAddressCodec.encode(InetSocketAddress.createUnresolved("example.invalid", 80), dst))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unresolved");
            assertThatThrownBy(() -> SocketAddressCodec.encode(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 80), arena.allocate(8)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("need 16");
            dst.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) 1); // AF_UNIX
            assertThatThrownBy(() -> SocketAddressCodec.decode(dst, 110))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unsupported address family 1");
            dst.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) SocketAddressCodec.AF_INET6);
            assertThatThrownBy(() -> SocketAddressCodec.decode(dst, 16))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sockaddr_in6 of 16 bytes");
        }
    }
}
