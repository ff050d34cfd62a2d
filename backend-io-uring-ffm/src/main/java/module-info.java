/**
 * Katana's io_uring backend, {@code io_uring}: a completion-based reactor on Linux's io_uring,
 * called through the Foreign Function and Memory API with no JNI and no liburing. The rings are
 * mapped as memory segments; accepts and receives are multishot, receives land in a ring of
 * provided buffers, sends and closes go through the ring. It exports nothing: its one service is a
 * {@link io.katana.reactor.spi.ReactorProvider} named {@code io_uring}, priority 50 (below {@code
 * epoll-ffm}, above {@code nio}), which {@code -Dkatana.reactor=io_uring} forces. It needs native
 * access ({@code --enable-native-access=io.katana.reactor.uring}, or {@code ALL-UNNAMED} on the
 * class path); where it cannot run its availability says why.
 *
 * @provides io.katana.reactor.spi.ReactorProvider the {@code io_uring} backend
 */
module io.katana.reactor.uring {
    requires io.katana.reactor;
    requires org.slf4j;
    requires static com.google.auto.service;

    provides io.katana.reactor.spi.ReactorProvider with io.katana.reactor.uring.UringReactorProvider;
}
