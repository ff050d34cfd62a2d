package io.katana.reactor.spi.ffm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * Encodes and decodes {@code struct sockaddr_in} (16 bytes) and {@code struct sockaddr_in6} (28
 * bytes). The family and the IPv6 scope id are in host byte order; the port, the IPv4 address, the
 * IPv6 flow label and address are in network byte order (big-endian). The layouts are Linux's
 * (x86_64 and aarch64 alike). Nothing here is a restricted FFM method: it reads and writes segments
 * the caller allocated. Stateless; safe from any thread.
 */
public final class SocketAddressCodec {
    /** {@code AF_INET}, the IPv4 address family. */
    public static final int AF_INET = 2;
    /** {@code AF_INET6}, the IPv6 address family. */
    public static final int AF_INET6 = 10;
    /** Bytes of {@code sockaddr_in}. */
    public static final int SOCKADDR_IN_SIZE = 16;
    /** Bytes of {@code sockaddr_in6}. */
    public static final int SOCKADDR_IN6_SIZE = 28;
    /** Bytes of {@code sockaddr_storage}: room for any address the kernel may return. */
    public static final int SOCKADDR_STORAGE_SIZE = 128;

    private static final ValueLayout.OfShort NET_SHORT =
            JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN).withByteAlignment(1);
    private static final ValueLayout.OfInt NET_INT = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN).withByteAlignment(1);
    private static final ValueLayout.OfShort HOST_SHORT = JAVA_SHORT.withByteAlignment(1);
    private static final ValueLayout.OfInt HOST_INT = JAVA_INT.withByteAlignment(1);

    private static final long FAMILY = 0;
    private static final long PORT = 2;
    private static final long IN_ADDR = 4;
    private static final long IN6_FLOWINFO = 4;
    private static final long IN6_ADDR = 8;
    private static final long IN6_SCOPE_ID = 24;

    private SocketAddressCodec() {}

    /**
     * {@return {@code AF_INET} or {@code AF_INET6}, by the kind of the address}
     *
     * @param address a resolved address
     */
    public static int family(InetSocketAddress address) {
        return requireResolved(address).getAddress() instanceof Inet6Address
                ? SocketAddressCodec.AF_INET6
                : SocketAddressCodec.AF_INET;
    }

    /**
     * Writes {@code address} into {@code dst} as the sockaddr of its family.
     *
     * @param address a resolved address
     * @param dst where to write it: at least {@link #SOCKADDR_IN6_SIZE} bytes for IPv6
     * @return the number of bytes written, the {@code socklen_t} to pass with it
     * @throws IllegalArgumentException if the address is unresolved or {@code dst} is too small
     */
    public static int encode(InetSocketAddress address, MemorySegment dst) {
        InetAddress ip = requireResolved(address).getAddress();
        if (ip instanceof Inet6Address ip6) {
            requireRoom(dst, SOCKADDR_IN6_SIZE);
            dst.asSlice(0, SOCKADDR_IN6_SIZE).fill((byte) 0);
            dst.set(HOST_SHORT, FAMILY, (short) SocketAddressCodec.AF_INET6);
            dst.set(NET_SHORT, PORT, (short) address.getPort());
            MemorySegment.copy(ip6.getAddress(), 0, dst, JAVA_BYTE, IN6_ADDR, 16);
            dst.set(HOST_INT, IN6_SCOPE_ID, Math.max(ip6.getScopeId(), 0));
            return SOCKADDR_IN6_SIZE;
        }
        requireRoom(dst, SOCKADDR_IN_SIZE);
        dst.asSlice(0, SOCKADDR_IN_SIZE).fill((byte) 0);
        dst.set(HOST_SHORT, FAMILY, (short) SocketAddressCodec.AF_INET);
        dst.set(NET_SHORT, PORT, (short) address.getPort());
        MemorySegment.copy(ip.getAddress(), 0, dst, JAVA_BYTE, IN_ADDR, 4);
        return SOCKADDR_IN_SIZE;
    }

    /**
     * Decodes a sockaddr the kernel wrote as {@link #decode}, or returns null when it holds no IP
     * address: too short for a family, or another family (a Unix socket, {@code AF_UNSPEC} from a
     * peer already gone).
     *
     * @param src the sockaddr, as the kernel wrote it
     * @param length its length, as the kernel returned it
     * @return the address and port, or null
     * @throws IllegalArgumentException if the family is IP but the length is too short for it
     */
    public static InetSocketAddress decodeInet(MemorySegment src, int length) {
        int family = length >= 2 ? Short.toUnsignedInt(src.get(HOST_SHORT, FAMILY)) : -1;
        return family == AF_INET || family == AF_INET6 ? decode(src, length) : null;
    }

    /**
     * Reads the sockaddr of {@code length} bytes at the start of {@code src}. An IPv4-mapped IPv6
     * address ({@code ::ffff:a.b.c.d}, what a dual-stack listener sees from an IPv4 peer) comes back
     * as the plain IPv4 address.
     *
     * @param src the sockaddr, as the kernel wrote it
     * @param length its length, as the kernel returned it
     * @return the address and port
     * @throws IllegalArgumentException if the family is neither {@code AF_INET} nor {@code AF_INET6},
     *     or the length is too short for it
     */
    public static InetSocketAddress decode(MemorySegment src, int length) {
        if (length < 2) {
            throw new IllegalArgumentException("sockaddr of " + length + " bytes has no family");
        }
        int family = Short.toUnsignedInt(src.get(HOST_SHORT, FAMILY));
        int port = Short.toUnsignedInt(src.get(NET_SHORT, PORT));
        try {
            if (family == SocketAddressCodec.AF_INET) {
                requireLength(length, SOCKADDR_IN_SIZE, "sockaddr_in");
                byte[] ip = new byte[4];
                MemorySegment.copy(src, JAVA_BYTE, IN_ADDR, ip, 0, 4);
                return new InetSocketAddress(Inet4Address.getByAddress(ip), port);
            }
            if (family == SocketAddressCodec.AF_INET6) {
                requireLength(length, SOCKADDR_IN6_SIZE, "sockaddr_in6");
                byte[] ip = new byte[16];
                MemorySegment.copy(src, JAVA_BYTE, IN6_ADDR, ip, 0, 16);
                int scope = src.get(HOST_INT, IN6_SCOPE_ID);
                InetAddress address = scope == 0 || isV4Mapped(ip)
                        ? InetAddress.getByAddress(ip)
                        : Inet6Address.getByAddress(null, ip, scope);
                return new InetSocketAddress(address, port);
            }
        } catch (UnknownHostException impossible) {
            // getByAddress only throws for a byte array of the wrong length, which we never pass.
            throw new IllegalStateException(impossible);
        }
        throw new IllegalArgumentException("unsupported address family " + family + " (expected AF_INET or AF_INET6)");
    }

    /** The IPv6 flow label field of a {@code sockaddr_in6}, in host order; for tests and diagnostics. */
    static int flowInfo(MemorySegment sockaddrIn6) {
        return sockaddrIn6.get(NET_INT, IN6_FLOWINFO);
    }

    private static boolean isV4Mapped(byte[] ip) {
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) return false;
        }
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }

    private static InetSocketAddress requireResolved(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address " + address.getHostString() + ":" + address.getPort()
                    + " is unresolved; resolve the host name before binding or connecting");
        }
        return address;
    }

    private static void requireRoom(MemorySegment dst, int needed) {
        if (dst.byteSize() < needed) {
            throw new IllegalArgumentException("sockaddr buffer of " + dst.byteSize() + " bytes, need " + needed);
        }
    }

    private static void requireLength(int length, int needed, String what) {
        if (length < needed) {
            throw new IllegalArgumentException(what + " of " + length + " bytes, expected " + needed);
        }
    }
}
