/**
 * The {@code epoll-ffm} reactor backend. Not exported: applications reach it through {@link
 * io.katana.reactor.Reactors} and {@link java.util.ServiceLoader}, never by name.
 */
package io.katana.reactor.epoll;
