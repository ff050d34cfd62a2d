/**
 * The user-facing API of Katana: the table of contents of the product.
 *
 * <ul>
 *   <li>{@link io.katana.reactor.Reactors} finds the backends on the class or module path and picks
 *       the best available one.
 *   <li>{@link io.katana.reactor.ReactorGroup} is a set of event loops; it {@linkplain
 *       io.katana.reactor.ReactorGroup#listen listens} and {@linkplain
 *       io.katana.reactor.ReactorGroup#connect connects}.
 *   <li>{@link io.katana.reactor.Reactor} is one event loop on one thread: tasks and timers.
 *   <li>{@link io.katana.reactor.Connection} is one TCP connection; a {@link
 *       io.katana.reactor.ConnectionHandler} receives its events.
 *   <li>{@link io.katana.reactor.ReactorConfig}, {@link io.katana.reactor.ListenOptions} and {@link
 *       io.katana.reactor.ConnectOptions} are the knobs; {@link io.katana.reactor.Availability} says
 *       whether a backend can run here and, if not, why.
 * </ul>
 *
 * <h2>Threading rule</h2>
 *
 * Every callback of a connection runs on the thread of the reactor that owns it, one at a time and in
 * order. Any thread may call a {@code Connection}; a call made off the reactor's thread is handed to
 * the reactor and takes effect there, in the order the calling thread made its calls.
 *
 * <h2>Memory rule</h2>
 *
 * The buffer passed to {@link io.katana.reactor.ConnectionHandler#onRead} belongs to the reactor and
 * is valid only during the call. Bytes written with {@link io.katana.reactor.Connection#write} are
 * copied before {@code write} returns, so the caller may reuse its buffer at once.
 */
package io.katana.reactor;
