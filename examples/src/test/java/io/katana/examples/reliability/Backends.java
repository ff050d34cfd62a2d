package io.katana.examples.reliability;

import io.katana.reactor.Reactors;
import io.katana.reactor.spi.ReactorProvider;
import java.util.stream.Stream;

/** The backends the drills run on: every one available here (nio, epoll-ffm and io_uring on Linux). */
final class Backends {
    private Backends() {}

    static Stream<String> available() {
        return Reactors.all().stream().filter(ReactorProvider::isAvailable).map(ReactorProvider::name);
    }
}
