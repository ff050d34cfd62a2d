/**
 * The backend SPI: what a reactor backend implements, and the machinery it may reuse so that every
 * backend behaves the same way.
 *
 * <p>A backend implements {@link io.katana.reactor.spi.ReactorProvider} and, usually, extends
 * {@link io.katana.reactor.spi.EventLoop} (one thread: tasks, timers, wakeups, connection registry),
 * {@link io.katana.reactor.spi.AbstractConnection} (write queue, water marks, input cumulation,
 * pause/resume, close and half-close), {@link io.katana.reactor.spi.AbstractReactorGroup}
 * (round-robin, ids, graceful shutdown, {@code listen} with its {@code SO_REUSEPORT} fan-out over a
 * {@link io.katana.reactor.spi.ListeningSockets}, {@code connect}), {@link
 * io.katana.reactor.spi.AbstractListener} (connection limit, start, close once), {@link
 * io.katana.reactor.spi.AbstractAcceptor} (batch accept, admission, hand-off, refusal, the pause
 * after {@code EMFILE}, closing what arrives during shutdown) and {@link
 * io.katana.reactor.spi.AbstractConnectAttempt} (timeout, {@code SO_ERROR} outcome, failure at
 * termination). It then only supplies the system calls: poll, wake up, accept one, read, gathering
 * write, interest changes, connect, close. A backend calling the kernel through FFM finds errno
 * capture and the {@code sockaddr} codec in {@code io.katana.reactor.spi.ffm}.
 *
 * <p>Loop-only methods of this machinery {@code assert} that they run on their loop; a task offered
 * to a reactor that is terminating is run or refused with {@link
 * java.util.concurrent.RejectedExecutionException}, never dropped.
 *
 * <h2>Threading and memory ordering</h2>
 *
 * Names say who may touch what. Methods and fields documented "loop only" are confined to the
 * reactor thread and use plain accesses. State read by other threads is published with release
 * stores and read with acquire or volatile loads; the few places that need a full fence (the
 * sleep/wake handshake between {@link io.katana.reactor.spi.EventLoop#execute} and the loop, where
 * both sides write then read) use volatile accesses, and say so.
 */
package io.katana.reactor.spi;
