package io.katana.reactor.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A connection was opened (accepted or connected). Committed on the reactor thread. */
@Name("io.katana.ConnectionOpened")
@Label("Connection Opened")
@Category({"Katana", "Connections"})
@Description("A TCP connection was accepted or established")
@StackTrace(false)
public final class ConnectionOpenedEvent extends jdk.jfr.Event {

    /**
     * Creates an empty event. Applications only read these events; {@link
     * io.katana.reactor.spi.AbstractConnection} fills them in and commits them.
     */
    public ConnectionOpenedEvent() {}

    /**
     * The connection's {@link io.katana.reactor.Connection#id()}, which pairs this event with its
     * closing.
     */
    @Label("Connection Id")
    public long connectionId;

    /** The backend that runs the connection, such as {@code epoll-ffm}. */
    @Label("Backend")
    public String backend;

    /** The peer's address as text. */
    @Label("Remote Address")
    public String remoteAddress;

    /** True for a connection this process initiated, false for an accepted one. */
    @Label("Outgoing")
    @Description("True for a connection this process initiated, false for an accepted one")
    public boolean outgoing;
}
