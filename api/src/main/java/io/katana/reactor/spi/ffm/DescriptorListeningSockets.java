package io.katana.reactor.spi.ffm;

import io.katana.reactor.ListenOptions;
import io.katana.reactor.spi.ListeningSockets;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * {@link ListeningSockets} over file descriptors, opened with {@link SocketCalls#listening} on the
 * thread that called {@code listen} (so a bind failure is thrown to the caller), with call state of
 * their own that {@link #close()} frees. A backend adds only its listener and acceptors.
 *
 * <p><b>Threading:</b> as {@link ListeningSockets}: the thread that called {@code listen}.
 */
public abstract class DescriptorListeningSockets implements ListeningSockets<Integer> {
    private final String backend;
    private final Arena arena = Arena.ofConfined();
    private final SocketCalls calls;

    /**
     * Makes the sockets of one {@code listen} call, with call state of their own.
     *
     * @param backend the backend's name, for the message when the address is not a resolved IP one
     * @param functions the backend's linked socket functions
     */
    protected DescriptorListeningSockets(String backend, SocketCalls.Functions functions) {
        this.backend = backend;
        this.calls = new SocketCalls(functions, arena);
    }

    @Override
    public Integer open(SocketAddress address, ListenOptions options) throws IOException {
        return calls.listening(SocketCalls.requireInet(address, backend), options);
    }

    @Override
    public InetSocketAddress localAddress(Integer fd) throws ErrnoException {
        return calls.localAddress(fd);
    }

    @Override
    public void close(Integer fd) {
        calls.close(fd);
    }

    @Override
    public void close() {
        arena.close();
    }
}
