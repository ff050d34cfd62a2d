package io.katana.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The little DER needed to turn PKCS#1 and SEC1 private keys into PKCS#8, which the JDK reads: wrap
 * the key in a {@code PrivateKeyInfo} naming its algorithm. Stateless.
 */
final class Der {

    private static final byte SEQUENCE = 0x30;
    private static final byte INTEGER = 0x02;
    private static final byte OCTET_STRING = 0x04;
    private static final byte OID = 0x06;
    /** rsaEncryption (1.2.840.113549.1.1.1) then NULL. */
    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** id-ecPublicKey (1.2.840.10045.2.1). */
    private static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private Der() {}

    static byte[] pkcs8FromPkcs1(byte[] pkcs1) {
        return privateKeyInfo(RSA_ALGORITHM, pkcs1);
    }

    /** SEC1 {@code ECPrivateKey} names its curve in {@code [0] parameters}, which PKCS#8 needs outside. */
    static byte[] pkcs8FromSec1(byte[] sec1, Path file) throws IOException {
        int[] at = {0};
        expect(sec1, at, SEQUENCE, file);
        readLength(sec1, at, file);
        skip(sec1, at, INTEGER, file);
        skip(sec1, at, OCTET_STRING, file);
        if (at[0] >= sec1.length || sec1[at[0]] != (byte) 0xa0) {
            throw new IOException(file + ": the EC private key does not name its curve; convert it with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem'");
        }
        at[0]++;
        readLength(sec1, at, file);
        int oidStart = at[0];
        skip(sec1, at, OID, file);
        byte[] curve = java.util.Arrays.copyOfRange(sec1, oidStart, at[0]);
        ByteArrayOutputStream algorithm = new ByteArrayOutputStream();
        algorithm.writeBytes(EC_PUBLIC_KEY);
        algorithm.writeBytes(curve);
        return privateKeyInfo(tlv(SEQUENCE, algorithm.toByteArray()), sec1);
    }

    private static byte[] privateKeyInfo(byte[] algorithm, byte[] key) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {INTEGER, 0x01, 0x00});
        body.writeBytes(algorithm);
        body.writeBytes(tlv(OCTET_STRING, key));
        return tlv(SEQUENCE, body.toByteArray());
    }

    private static byte[] tlv(byte tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static void expect(byte[] der, int[] at, byte tag, Path file) throws IOException {
        if (at[0] >= der.length || der[at[0]] != tag) {
            throw new IOException(file + ": the private key is not valid DER");
        }
        at[0]++;
    }

    private static void skip(byte[] der, int[] at, byte tag, Path file) throws IOException {
        expect(der, at, tag, file);
        int length = readLength(der, at, file);
        at[0] += length;
        if (at[0] > der.length) {
            throw new IOException(file + ": the private key is cut short");
        }
    }

    private static int readLength(byte[] der, int[] at, Path file) throws IOException {
        if (at[0] >= der.length) {
            throw new IOException(file + ": the private key is cut short");
        }
        int first = der[at[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int octets = first & 0x7f;
        if (octets > 3 || at[0] + octets > der.length) {
            throw new IOException(file + ": the private key is not valid DER");
        }
        int length = 0;
        for (int i = 0; i < octets; i++) {
            length = length << 8 | der[at[0]++] & 0xff;
        }
        return length;
    }
}
