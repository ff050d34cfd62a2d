/**
 * The backend SPI: what a reactor backend implements, and the machinery it may reuse so that every
 * backend behaves the same way.
 *
 * <p>A backend implements {@link io.katana.reactor.spi.ReactorProvider} and, usually, extends
 * {@link io.katana.reactor.spi.EventLoop} (one thread: tasks, timers, wakeups, connection registry),
 * {@link io.katana.reactor.spi.AbstractConnection} (write queue, water marks, input cumulation,
 * pause/resume, close and half-close), {@link io.katana.reactor.spi.AbstractReactorGroup}
 * (round-robin, ids, graceful shutdown) and {@link io.katana.reactor.spi.AbstractListener}
 * (connection limit, start, close once). It then only supplies the system calls: poll, wake up,
 * accept, read, gathering write, interest changes, close.
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
