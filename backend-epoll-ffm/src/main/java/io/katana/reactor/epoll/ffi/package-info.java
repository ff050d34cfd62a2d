/**
 * The native layer of the epoll backend: downcall handles to the C library built once, {@code errno}
 * captured per thread and mapped to {@link io.katana.reactor.epoll.ffi.ErrnoException}, and the
 * layouts of the kernel structures ({@code epoll_event}, {@code iovec}, {@code sockaddr_in/in6}).
 * Internal to the module.
 */
package io.katana.reactor.epoll.ffi;
