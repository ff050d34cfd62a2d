package io.katana.reactor.epoll;

/**
 * What an epoll registration leads to: a connection, an acceptor, a connect in progress or the
 * reactor's wakeup eventfd.
 *
 * <p><b>Threading:</b> loop only.
 */
interface ReadinessHandler {

    /** The registered fd reported {@code events} ({@code EPOLLIN}, {@code EPOLLOUT}, ... bits). */
    void ready(int events);

    /** The reactor is ending with this registration still present: release the fd. Must not throw. */
    void closeOnTermination();
}
