/**
 * The portable backend on {@link java.nio.channels.Selector}: chosen wherever {@code epoll-ffm}
 * cannot run. Nothing here is exported; the backend is reached through {@link
 * io.katana.reactor.Reactors} as {@code nio}.
 */
package io.katana.reactor.nio;
