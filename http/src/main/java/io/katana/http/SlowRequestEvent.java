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
 * Nothing is allocated or timed for it unless a recording enables it; a recording enables it unless
 * its settings say {@code io.katana.SlowRequest#enabled=false}, and then every request allocates its
 * event and two strings (the method and target) whatever its duration.
 */
@Name("io.katana.SlowRequest")
@Label("Slow HTTP Request")
@Category({"Katana", "HTTP"})
@Description("An HTTP request whose handling took longer than the threshold")
@Threshold("500 ms")
@StackTrace(false)
public final class SlowRequestEvent extends jdk.jfr.Event {

    /**
     * Creates an empty event. Applications only read these events; the server fills them in and
     * commits them.
     */
    public SlowRequestEvent() {}

    /** The request method, such as {@code GET}. */
    @Label("Method")
    public String method;

    /** The request-target as sent, query included. */
    @Label("Target")
    public String target;

    /** The status code of the response. */
    @Label("Status")
    public int status;

    /** The reactor backend that served the connection, such as {@code epoll-ffm}. */
    @Label("Backend")
    public String backend;

    /** True when the handler ran on a virtual thread ({@link HttpHandler#blocking}). */
    @Label("Blocking Handler")
    @Description("True when the handler ran on a virtual thread")
    public boolean blocking;
}
