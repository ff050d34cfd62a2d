package io.katana.http.internal;

import io.katana.http.AccessLogFormat;
import io.katana.http.HttpRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one line per response, in Apache's common or combined format, to the SLF4J logger {@code
 * io.katana.http.access} at INFO. Only exists when the server turns it on, so a server without it
 * pays nothing.
 *
 * <p><b>Threading:</b> immutable; lines are written from whichever thread completes a response.
 */
public final class AccessLog {

    /** The logger's name, for logging configurations. */
    public static final String LOGGER_NAME = "io.katana.http.access";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final boolean combined;

    public AccessLog(AccessLogFormat format) {
        this.combined = format == AccessLogFormat.COMBINED;
    }

    /**
     * What the line says before the status, read while the request is still valid: {@code host - -
     * [time] "request line"}.
     */
    String head(HttpRequest request, long arrivalMillis) {
        StringBuilder line = new StringBuilder(96);
        line.append(host(request.remoteAddress())).append(" - - [")
                .append(TIME.format(Instant.ofEpochMilli(arrivalMillis))).append("] \"")
                .append(request.method().name()).append(' ').append(request.target()).append(' ')
                .append(request.version()).append('"');
        return line.toString();
    }

    /** What the line says after the byte count: the referer and user agent in combined format, else nothing. */
    String tail(HttpRequest request) {
        if (!combined) {
            return "";
        }
        return " \"" + quoted(request.header("Referer")) + "\" \"" + quoted(request.header("User-Agent")) + "\"";
    }

    String line(String head, int status, long bytes, String tail) {
        return head + ' ' + status + ' ' + (bytes == 0 ? "-" : Long.toString(bytes)) + tail;
    }

    void write(String line) {
        LOG.info("{}", line);
    }

    private static String host(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return address == null ? "-" : address.toString();
    }

    /** A field value inside quotes: '"' and '\' escaped, as Apache does, so a line always splits the same way. */
    private static String quoted(String value) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        if (value.indexOf('"') < 0 && value.indexOf('\\') < 0) {
            return value;
        }
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
