/** Katana's Linux backend: epoll called through the Foreign Function and Memory API. */
module io.katana.reactor.epoll {
    requires io.katana.reactor;
    requires org.slf4j;
    requires static com.google.auto.service;

    provides io.katana.reactor.spi.ReactorProvider with io.katana.reactor.epoll.EpollReactorProvider;
}
