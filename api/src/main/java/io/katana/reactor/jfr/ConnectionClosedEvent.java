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
    @Label("Connection Id")
    public long connectionId;

    @Label("Backend")
    public String backend;

    @Label("Remote Address")
    public String remoteAddress;

    @Label("Lifetime")
    @Timespan(Timespan.NANOSECONDS)
    public long lifetime;

    @Label("Bytes Read")
    @DataAmount
    public long bytesRead;

    @Label("Bytes Written")
    @DataAmount
    public long bytesWritten;

    @Label("Cause")
    @Description("Why it closed when not in order: the exception's class and message")
    public String cause;
}
