package io.katana.tls.jdk;

import io.katana.tls.KeyMaterial;
import io.katana.tls.TlsServerConfig;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Hands the JDK the identity for the SNI name a client asked for, straight from {@link KeyMaterial}s:
 * no key store, so keys are never copied into one. Aliases are indexes into the identities. On a
 * server, each engine it chooses a key for is marked as doing a full handshake. Immutable.
 */
final class SniKeyManager extends X509ExtendedKeyManager {
    private final List<KeyMaterial> identities = new ArrayList<>();
    private final Map<KeyMaterial, String> aliases = new LinkedHashMap<>();
    private final TlsServerConfig config;
    private final FullHandshakes fullHandshakes;

    SniKeyManager(TlsServerConfig config, FullHandshakes fullHandshakes) {
        this.config = config;
        this.fullHandshakes = fullHandshakes;
        add(config.identity());
        config.identitiesByName().values().forEach(this::add);
    }

    SniKeyManager(KeyMaterial clientIdentity) {
        this.config = null;
        this.fullHandshakes = null;
        add(clientIdentity);
    }

    private void add(KeyMaterial material) {
        if (!aliases.containsKey(material)) {
            aliases.put(material, Integer.toString(identities.size()));
            identities.add(material);
        }
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        if (engine.getHandshakeSession() != null) {
            // a full handshake choosing its certificate; with no handshake session yet, the JDK is
            // restoring the identity of a session from a ticket the client offered (a resumption)
            fullHandshakes.mark(engine);
        }
        KeyMaterial chosen = config.identityFor(requestedName(engine));
        return matches(chosen, keyType) ? aliases.get(chosen) : null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        KeyMaterial identity = identities.getFirst();
        for (String keyType : keyTypes) {
            if (matches(identity, keyType)) {
                return aliases.get(identity);
            }
        }
        return null;
    }

    private static boolean matches(KeyMaterial material, String keyType) {
        String algorithm = material.privateKey().getAlgorithm();
        return algorithm.equals(keyType) || keyType.startsWith(algorithm + "_") // TLS 1.2 names such as EC_EC
                || (keyType.equals("EdDSA") && algorithm.startsWith("Ed"));
    }

    private static String requestedName(SSLEngine engine) {
        SSLSession session = engine.getHandshakeSession();
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return aliases.values().toArray(String[]::new);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return aliases.values().toArray(String[]::new);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        KeyMaterial material = byAlias(alias);
        return material == null ? null : material.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        KeyMaterial material = byAlias(alias);
        return material == null ? null : material.privateKey();
    }

    private KeyMaterial byAlias(String alias) {
        try {
            int index = Integer.parseInt(alias);
            return index >= 0 && index < identities.size() ? identities.get(index) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "SniKeyManager[" + identities.size() + " identities]";
    }
}
