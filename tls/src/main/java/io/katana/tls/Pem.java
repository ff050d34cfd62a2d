package io.katana.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads certificates and private keys from PEM text, as CAs and {@code openssl} write them: a chain of
 * {@code CERTIFICATE} blocks; a key as PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY})
 * or SEC1 ({@code EC PRIVATE KEY}), RSA, EC, Ed25519 or RSASSA-PSS. Encrypted keys are refused with
 * the command that decrypts them.
 *
 * <p><b>Threading:</b> stateless, safe from any thread. Key bytes read are cleared once the key is made.
 */
public final class Pem {

    private static final String BEGIN = "-----BEGIN ";
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"};

    private Pem() {}

    /**
     * Reads every certificate of a PEM file, in file order (leaf first, as a chain is written).
     *
     * @param file the PEM file
     * @return the certificates, at least one
     * @throws IOException if the file cannot be read or holds no certificate, or one does not parse
     */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(Files.readString(file, StandardCharsets.US_ASCII), file)) {
                if (block.type.equals("CERTIFICATE") || block.type.equals("TRUSTED CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der)));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": a certificate does not parse: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IOException(file + " holds no '-----BEGIN CERTIFICATE-----' block");
        }
        return List.copyOf(certificates);
    }

    /**
     * Reads the first private key of a PEM file.
     *
     * @param file the PEM file
     * @return the key
     * @throws IOException if the file cannot be read, holds no key, or holds an encrypted or unknown one
     */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        for (Block block : blocks(Files.readString(file, StandardCharsets.US_ASCII), file)) {
            byte[] pkcs8 = switch (block.type) {
                case "PRIVATE KEY" -> block.der;
                case "RSA PRIVATE KEY" -> Der.pkcs8FromPkcs1(block.der);
                case "EC PRIVATE KEY" -> Der.pkcs8FromSec1(block.der, file);
                case "ENCRYPTED PRIVATE KEY" -> throw new IOException(file + " holds an encrypted private key; "
                        + "decrypt it once with 'openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem'");
                default -> null;
            };
            if (pkcs8 != null) {
                try {
                    return privateKey(pkcs8, file);
                } finally {
                    Arrays.fill(pkcs8, (byte) 0);
                    Arrays.fill(block.der, (byte) 0);
                }
            }
        }
        throw new IOException(file + " holds no private key: expected '-----BEGIN PRIVATE KEY-----' (PKCS#8), "
                + "'RSA PRIVATE KEY' or 'EC PRIVATE KEY'; convert another form with "
                + "'openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem'");
    }

    /**
     * Writes certificates as PEM text.
     *
     * @param certificates the certificates, written in order
     * @return one {@code CERTIFICATE} block per certificate
     * @throws IllegalArgumentException if a certificate cannot be encoded
     */
    public static String encodeCertificates(List<X509Certificate> certificates) {
        StringBuilder text = new StringBuilder();
        Base64.Encoder encoder = Base64.getMimeEncoder(64, new byte[] {'\n'});
        for (X509Certificate certificate : certificates) {
            try {
                text.append("-----BEGIN CERTIFICATE-----\n")
                        .append(encoder.encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
            }
        }
        return text.toString();
    }

    private static PrivateKey privateKey(byte[] pkcs8, Path file) throws IOException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException wrongAlgorithm) {
                // try the next one: PKCS#8 names its algorithm, but KeyFactory wants it named first
            }
        }
        throw new IOException(file + ": the private key is none of " + String.join(", ", KEY_ALGORITHMS));
    }

    private record Block(String type, byte[] der) {}

    private static List<Block> blocks(String text, Path file) throws IOException {
        List<Block> blocks = new ArrayList<>();
        int at = 0;
        while ((at = text.indexOf(BEGIN, at)) >= 0) {
            int typeEnd = text.indexOf("-----", at + BEGIN.length());
            if (typeEnd < 0) {
                throw new IOException(file + ": a '-----BEGIN' line is not closed by '-----'");
            }
            String type = text.substring(at + BEGIN.length(), typeEnd);
            String end = "-----END " + type + "-----";
            int bodyEnd = text.indexOf(end, typeEnd);
            if (bodyEnd < 0) {
                throw new IOException(file + ": no '" + end + "' line");
            }
            String body = text.substring(typeEnd + 5, bodyEnd);
            if (body.contains("Proc-Type:")) {
                throw new IOException(file + " holds a key encrypted the old OpenSSL way; decrypt it once with "
                        + "'openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem'");
            }
            try {
                blocks.add(new Block(type, Base64.getMimeDecoder().decode(body)));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": the " + type + " block is not valid base64", e);
            }
            at = bodyEnd + end.length();
        }
        return blocks;
    }
}
