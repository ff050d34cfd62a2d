package io.katana.reactor;

import java.net.InetSocketAddress;

/**
 * A listening socket (or, with {@link ListenOptions#reusePort()}, one per reactor) accepting
 * connections into a {@link ReactorGroup}.
 *
 * <p><b>Threading:</b> all methods may be called from any thread. Closing stops accepting; it does
 * not close connections already accepted.
 */
public interface Listener extends AutoCloseable {

    /** {@return the address bound, with the actual port when port 0 was asked for} */
    InetSocketAddress localAddress();

    /** {@return whether the listener still accepts connections} */
    boolean isOpen();

    /** Stops accepting and releases the listening socket(s); waits until they are closed. */
    @Override
    void close();
}
