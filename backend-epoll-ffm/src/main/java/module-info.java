/**
 * Katana's Linux backend, {@code epoll-ffm}: epoll, eventfd and socket calls made through the
 * Foreign Function and Memory API, with no JNI and no native library of its own. {@link
 * io.katana.reactor.Reactors} prefers it (priority 100) wherever it is available: on Linux x86_64 or
 * aarch64, with native access granted to this module ({@code
 * --enable-native-access=io.katana.reactor.epoll} on the module path, {@code ALL-UNNAMED} on the
 * class path). Elsewhere its availability says what is missing and {@code nio} serves instead. It
 * exports nothing: its one service is a {@link io.katana.reactor.spi.ReactorProvider} named {@code
 * epoll-ffm}, which {@code -Dkatana.reactor=epoll-ffm} forces.
 *
 * <p>Registrations are edge-triggered; {@code -Dkatana.epoll.trigger=level} switches to
 * level-triggered ones, for comparison.
 *
 * @provides io.katana.reactor.spi.ReactorProvider the {@code epoll-ffm} backend
 */
module io.katana.reactor.epoll {
    requires io.katana.reactor;
    requires org.slf4j;
    requires static com.google.auto.service;

    provides io.katana.reactor.spi.ReactorProvider with io.katana.reactor.epoll.EpollReactorProvider;
}
