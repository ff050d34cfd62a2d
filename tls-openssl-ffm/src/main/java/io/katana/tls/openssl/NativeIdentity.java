package io.katana.tls.openssl;

import io.katana.tls.KeyMaterial;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@link KeyMaterial} turned into OpenSSL objects: the leaf {@code X509}, a stack of the
 * intermediates and the {@code EVP_PKEY}. The key's PKCS#8 bytes are parsed from native memory that is
 * zeroed right after, and the Java copy is zeroed too. {@link #free()} releases all three.
 *
 * <p><b>Threading:</b> made and freed by the context; the objects are only read in between, which
 * OpenSSL allows from any thread.
 */
final class NativeIdentity {
    final MemorySegment certificate;
    final MemorySegment chain;
    final MemorySegment privateKey;
    private final List<MemorySegment> intermediates;

    private NativeIdentity(MemorySegment certificate, MemorySegment chain, List<MemorySegment> intermediates,
            MemorySegment privateKey) {
        this.certificate = certificate;
        this.chain = chain;
        this.intermediates = intermediates;
        this.privateKey = privateKey;
    }

    static NativeIdentity of(KeyMaterial material) {
        List<MemorySegment> made = new ArrayList<>();
        MemorySegment chain = MemorySegment.NULL;
        try {
            MemorySegment leaf = x509(material.certificate());
            made.add(leaf);
            chain = LibSsl.pointer(LibSsl.OPENSSL_SK_NEW_NULL);
            if (chain.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("OPENSSL_sk_new_null failed: out of memory");
            }
            List<MemorySegment> intermediates = new ArrayList<>();
            for (X509Certificate certificate : material.chain().subList(1, material.chain().size())) {
                MemorySegment x509 = x509(certificate);
                made.add(x509);
                intermediates.add(x509);
                LibSsl.intOf(LibSsl.OPENSSL_SK_PUSH, chain, x509);
            }
            MemorySegment key = privateKey(material);
            return new NativeIdentity(leaf, chain, List.copyOf(intermediates), key);
        } catch (RuntimeException e) {
            made.forEach(x509 -> LibSsl.voidOf(LibSsl.X509_FREE, x509));
            if (!chain.equals(MemorySegment.NULL)) {
                LibSsl.voidOf(LibSsl.OPENSSL_SK_FREE, chain);
            }
            throw e;
        }
    }

    /** Frees the certificates, the stack and the key; OpenSSL objects that took references keep theirs. */
    void free() {
        LibSsl.voidOf(LibSsl.EVP_PKEY_FREE, privateKey);
        LibSsl.voidOf(LibSsl.OPENSSL_SK_FREE, chain);
        intermediates.forEach(x509 -> LibSsl.voidOf(LibSsl.X509_FREE, x509));
        LibSsl.voidOf(LibSsl.X509_FREE, certificate);
    }

    /** {@return a new OpenSSL {@code X509} of the certificate; the caller frees it} */
    static MemorySegment x509(X509Certificate certificate) {
        byte[] der;
        try {
            der = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode certificate " + certificate.getSubjectX500Principal()
                    + ": " + e.getMessage(), e);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocateFrom(ValueLayout.JAVA_BYTE, der);
            MemorySegment cursor = arena.allocateFrom(ValueLayout.ADDRESS, bytes);
            MemorySegment x509 = (MemorySegment) LibSsl.D2I_X509.invokeExact(MemorySegment.NULL, cursor, (long) der.length);
            if (x509.equals(MemorySegment.NULL)) {
                throw new IllegalArgumentException("OpenSSL cannot read certificate "
                        + certificate.getSubjectX500Principal() + ": " + OpenSslErrors.describe("d2i_X509 failed"));
            }
            return x509;
        } catch (Throwable t) {
            throw LibSsl.rethrow(t);
        }
    }

    /** The key's PKCS#8 encoding goes through native memory zeroed before it is released. */
    private static MemorySegment privateKey(KeyMaterial material) {
        byte[] pkcs8 = material.privateKey().getEncoded();
        if (pkcs8 == null || !"PKCS#8".equals(material.privateKey().getFormat())) {
            throw new IllegalArgumentException("the openssl engine needs a private key the JDK can encode as PKCS#8; this "
                    + material.privateKey().getAlgorithm() + " key encodes as " + material.privateKey().getFormat());
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(pkcs8.length);
            try {
                MemorySegment.copy(pkcs8, 0, bytes, ValueLayout.JAVA_BYTE, 0, pkcs8.length);
                MemorySegment cursor = arena.allocateFrom(ValueLayout.ADDRESS, bytes);
                MemorySegment info = (MemorySegment) LibSsl.D2I_PKCS8_PRIV_KEY_INFO.invokeExact(MemorySegment.NULL, cursor,
                        (long) pkcs8.length);
                if (info.equals(MemorySegment.NULL)) {
                    throw new IllegalArgumentException("OpenSSL cannot read the " + material.privateKey().getAlgorithm()
                            + " private key of " + material.certificate().getSubjectX500Principal() + ": "
                            + OpenSslErrors.describe("d2i_PKCS8_PRIV_KEY_INFO failed"));
                }
                MemorySegment key = LibSsl.pointer(LibSsl.EVP_PKCS82PKEY, info);
                LibSsl.voidOf(LibSsl.PKCS8_PRIV_KEY_INFO_FREE, info); // frees (and OpenSSL clears) its copy
                if (key.equals(MemorySegment.NULL)) {
                    throw new IllegalArgumentException("OpenSSL cannot use the " + material.privateKey().getAlgorithm()
                            + " private key of " + material.certificate().getSubjectX500Principal() + ": "
                            + OpenSslErrors.describe("EVP_PKCS82PKEY failed"));
                }
                return key;
            } finally {
                bytes.fill((byte) 0);
                Arrays.fill(pkcs8, (byte) 0);
            }
        } catch (Throwable t) {
            throw LibSsl.rethrow(t);
        }
    }
}
