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
    @Label("Connection Id")
    public long connectionId;

    @Label("Backend")
    public String backend;

    @Label("Remote Address")
    public String remoteAddress;

    @Label("Outgoing")
    @Description("True for a connection this process initiated, false for an accepted one")
    public boolean outgoing;
}
