package io.katana.tls.jdk;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;

/**
 * The JDK's engines of one context whose current handshake authenticated with a certificate: the
 * server's key manager was asked to choose a key while a handshake session existed, or the client's
 * trust manager to check the server's chain. {@code SSLEngine} has no public flag saying a handshake
 * resumed, so the absence of this mark is the answer. Checked on JDK 25 for TLS 1.3 and 1.2, both
 * sides: a resumed client checks no chain; a resumed server asks its key manager only when it
 * rebuilds a session from a ticket, before any handshake session exists (a full handshake asks after
 * making one). The TLS suite holds this against OpenSSL's {@code SSL_session_reused} in the mixed runs
 * and against {@code openssl s_client}.
 *
 * <p>Keys are weak, so an engine whose handshake failed after being marked is not kept. <b>Threading:</b>
 * safe from any thread; the JDK marks during its handshake, the layer asks right after it.
 */
final class FullHandshakes {
    private final Map<SSLEngine, Boolean> marked = Collections.synchronizedMap(new WeakHashMap<>());

    /** The handshake of {@code engine} chose a key or checked a chain; null (no engine) is ignored. */
    void mark(SSLEngine engine) {
        if (engine != null) {
            marked.put(engine, Boolean.TRUE);
        }
    }

    /** {@return whether the finished handshake of {@code engine} resumed; forgets the engine} */
    boolean resumed(SSLEngine engine) {
        return marked.remove(engine) == null;
    }
}
