package io.katana.benchmarks.load;

import java.util.List;

/**
 * The servers the harness knows, in the order the report lists them, and how it labels them.
 */
final class ServerNames {
    static final String KATANA_EPOLL = "katana-epoll-ffm";
    static final String KATANA_URING = "katana-io_uring";
    static final String KATANA_NIO = "katana-nio";
    static final String NETTY_EPOLL = "netty-epoll";
    static final String NETTY_URING = "netty-io_uring";
    static final String NETTY_NIO = "netty-nio";
    static final String NGINX = "nginx";

    static final List<String> ORDER = List.of(KATANA_EPOLL, KATANA_URING, KATANA_NIO, NETTY_EPOLL, NETTY_URING, NETTY_NIO, NGINX);

    private ServerNames() {}

    static String label(String server) {
        return switch (server) {
            case KATANA_EPOLL -> "Katana epoll-ffm";
            case KATANA_URING -> "Katana io_uring";
            case KATANA_NIO -> "Katana nio";
            case NETTY_EPOLL -> "Netty epoll";
            case NETTY_URING -> "Netty io_uring";
            case NETTY_NIO -> "Netty NIO";
            case NGINX -> "nginx";
            default -> server;
        };
    }

    /** Position in {@link #ORDER}; unknown servers sort last, by name. */
    static int rank(String server) {
        int index = ORDER.indexOf(server);
        return index >= 0 ? index : ORDER.size();
    }
}
