/**
 * The native layer of the epoll backend: downcall handles to the C library built once (the
 * restricted calls, which is why this module needs native access), {@code errno} captured per
 * thread and mapped to {@link io.katana.reactor.spi.ffm.ErrnoException}, and the layouts of the
 * kernel structures ({@code epoll_event}, {@code iovec}). What another FFM backend would need as
 * well (errno capture, errno names, the {@code sockaddr} codec) lives in the SPI's {@code
 * io.katana.reactor.spi.ffm}. Internal to the module.
 */
package io.katana.reactor.epoll.ffi;
