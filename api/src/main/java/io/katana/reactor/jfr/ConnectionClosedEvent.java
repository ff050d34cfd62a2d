package io.katana.reactor.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A connection was closed. Committed on the reactor thread. */
@Name("io.katana.ConnectionClosed")
@Label("Connection Closed")
@Category({"Katana", "Connections"})
@Description("A TCP connection was closed")
@StackTrace(false)
public final class ConnectionClosedEvent extends jdk.jfr.Event {

    /**
     * Creates an empty event. Applications only read these events; {@link
     * io.katana.reactor.spi.AbstractConnection} fills them in and commits them.
     */
    public ConnectionClosedEvent() {}

    /**
     * The connection's {@link io.katana.reactor.Connection#id()}, which pairs this event with its
     * opening.
     */
    @Label("Connection Id")
    public long connectionId;

    /** The backend that ran the connection, such as {@code epoll-ffm}. */
    @Label("Backend")
    public String backend;

    /** The peer's address as text, {@code "null"} if it was unknown. */
    @Label("Remote Address")
    public String remoteAddress;

    /** Nanoseconds from opening to closing. */
    @Label("Lifetime")
    @Timespan(Timespan.NANOSECONDS)
    public long lifetime;

    /** Bytes read from the socket over the connection's life. */
    @Label("Bytes Read")
    @DataAmount
    public long bytesRead;

    /** Bytes the socket accepted over the connection's life. */
    @Label("Bytes Written")
    @DataAmount
    public long bytesWritten;

    /** Null after an orderly close; otherwise the failure's class name and message. */
    @Label("Cause")
    @Description("Why it closed when not in order: the exception's class and message")
    public String cause;
}
