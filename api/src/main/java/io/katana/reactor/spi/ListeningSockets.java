package io.katana.reactor.spi;

import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.spi.ffm.Errno;
import io.katana.reactor.spi.ffm.ErrnoException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Supplier;

/**
 * The system calls behind one {@link AbstractReactorGroup#listen}: open and bind a listening socket,
 * learn its address, close it, and make the listener and the acceptors. The group does the rest:
 * one socket per reactor with {@link ListenOptions#reusePort()} (all bound to the port the first
 * one got, so port 0 works), otherwise one on the group's next reactor; every socket closed again
 * if one fails; the listener started and tracked. Made for one {@code listen} call and closed after
 * it, so it may hold call state (an arena) of the calling thread.
 *
 * <p><b>Threading:</b> the thread that called {@code listen}, except the acceptors it makes.
 *
 * @param <S> the backend's listening socket: a channel or a descriptor
 */
public interface ListeningSockets<S> extends AutoCloseable {

    /**
     * Opens a non-blocking socket with {@code options}, binds it and listens.
     *
     * @param address the address to bind, its port that of the first socket for the later ones
     * @param options the listener's options
     * @return the socket, listening
     * @throws IOException if a step failed; the socket is closed before this throws
     */
    S open(SocketAddress address, ListenOptions options) throws IOException;

    /**
     * {@return the address {@code socket} is bound to, with its actual port}
     *
     * @param socket a socket this object opened
     * @throws IOException if the address could not be read
     */
    InetSocketAddress localAddress(S socket) throws IOException;

    /**
     * Closes a socket this object opened that will not be used; must not throw.
     *
     * @param socket the socket
     */
    void close(S socket);

    /**
     * {@return the listener for the sockets}
     *
     * @param bound the address they are bound to
     * @param options the listener's options
     * @param handlers makes the handler of each accepted connection
     */
    AbstractListener<?> newListener(InetSocketAddress bound, ListenOptions options,
            Supplier<? extends ConnectionHandler> handlers);

    /**
     * {@return an acceptor for {@code socket}, polled by {@code loop}}
     *
     * @param listener the listener from {@link #newListener}
     * @param loop the reactor that polls the socket
     * @param socket the listening socket
     */
    AbstractAcceptor<?> newAcceptor(AbstractListener<?> listener, EventLoop loop, S socket);

    /**
     * {@return the exception {@code listen} throws for {@code failure}} By default an {@link
     * IOException} "cannot listen on ADDRESS: MESSAGE", or a {@link java.net.BindException} saying
     * why when {@code failure} is an {@link ErrnoException} of {@code EADDRINUSE} (the port is taken)
     * or {@code EADDRNOTAVAIL} (the address is not this host's); a backend whose failures are other
     * exceptions may tell those apart itself.
     *
     * @param address the address asked for
     * @param failure what failed
     */
    default IOException listenFailure(SocketAddress address, Exception failure) {
        String message = "cannot listen on " + address + ": " + failure.getMessage();
        int errno = failure instanceof ErrnoException e ? e.errno() : 0;
        IOException exception = switch (errno) {
            case Errno.EADDRINUSE -> new BindException(message + "; another socket holds the port");
            case Errno.EADDRNOTAVAIL -> new BindException(message + "; the address is not one of this host's");
            default -> new IOException(message);
        };
        exception.initCause(failure);
        return exception;
    }

    /** Releases call state held for this {@code listen}; by default nothing. Must not throw. */
    @Override
    default void close() {}
}
