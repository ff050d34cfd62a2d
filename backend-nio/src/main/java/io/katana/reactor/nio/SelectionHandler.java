package io.katana.reactor.nio;

/** What a {@link java.nio.channels.SelectionKey} is attached to: told which operations are ready. Loop only. */
interface SelectionHandler {
    void ready(int readyOps);
}
