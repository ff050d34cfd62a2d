/**
 * What a backend that calls the kernel through the Foreign Function and Memory API needs besides its
 * own bindings: {@link io.katana.reactor.spi.ffm.CapturedErrno} ({@code errno} captured per call),
 * {@link io.katana.reactor.spi.ffm.Errno} (the Linux numbers, names and descriptions, and the
 * classifications an accept loop and a connection act on), {@link
 * io.katana.reactor.spi.ffm.ErrnoException}, {@link io.katana.reactor.spi.ffm.SocketAddressCodec}
 * ({@code sockaddr_in} and {@code sockaddr_in6}), and {@link io.katana.reactor.spi.ffm.SocketCalls}
 * (the socket set-up calls: listening and outgoing sockets with their options, {@code connect},
 * addresses, {@code shutdown}), whose handles the backend links; {@link
 * io.katana.reactor.spi.ffm.DescriptorListeningSockets} builds a group's listening sockets on them,
 * and {@link io.katana.reactor.spi.ffm.NativeAvailability} makes the checks (Linux, native access)
 * every FFM module makes before its probe. {@link io.katana.reactor.spi.ffm.FfmFileRegion} is a file
 * region sent with {@code sendfile(2)}, on {@link io.katana.reactor.spi.ffm.FileCalls} (linked by the
 * backend, like the socket calls) and the reactor's {@link io.katana.reactor.spi.ffm.FileHost}. The native address of a reactor's
 * read buffer is {@link io.katana.reactor.spi.IoBuffer#positionAddress()}, with no segment made per call.
 *
 * <p>None of these call a restricted method, so using them needs no native access: only the module
 * that links its downcall handles ({@code Linker.downcallHandle}) or reinterprets segments must be
 * named in {@code --enable-native-access}, which is the backend's own.
 */
package io.katana.reactor.spi.ffm;
