package io.katana.http;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * A request whose handling, from dispatch to its complete response, took longer than the
 * recording's threshold for this event (500 ms unless the recording's settings say otherwise, e.g.
 * {@code -XX:StartFlightRecording:settings=my.jfc} with {@code io.katana.SlowRequest#threshold=100 ms}).
 * Nothing is allocated or timed for it unless a recording enables it.
 */
@Name("io.katana.SlowRequest")
@Label("Slow HTTP Request")
@Category({"Katana", "HTTP"})
@Description("An HTTP request whose handling took longer than the threshold")
@Threshold("500 ms")
@StackTrace(false)
public final class SlowRequestEvent extends jdk.jfr.Event {
    @Label("Method")
    public String method;

    @Label("Target")
    public String target;

    @Label("Status")
    public int status;

    @Label("Backend")
    public String backend;

    @Label("Blocking Handler")
    @Description("True when the handler ran on a virtual thread")
    public boolean blocking;
}
