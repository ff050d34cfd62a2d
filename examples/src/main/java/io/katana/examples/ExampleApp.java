package io.katana.examples;

import io.katana.http.HttpHandler;
import io.katana.http.HttpRequest;
import io.katana.http.HttpResponse;
import io.katana.http.HttpServer;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The application {@code katana serve} runs, on Katana's HTTP server:
 *
 * <ul>
 *   <li>{@code GET /plaintext}: {@code Hello, World!} as {@code text/plain};
 *   <li>{@code GET /json}: {@code {"message":"Hello, World!"}} as {@code application/json}, the
 *       object serialised for each request (both follow the TechEmpower rules: Server, Date,
 *       Content-Type and Content-Length on every response);
 *   <li>{@code GET /}: {@code OK}; {@code POST /}: the request body echoed;
 *   <li>{@code GET} or {@code POST /echo}: the request's header fields, one {@code Name: Value} a line;
 *   <li>anything else: 404 (or 405 with {@code Allow} for a known path).
 * </ul>
 *
 * <p><b>Threading:</b> every handler answers at once on the reactor thread; none blocks.
 */
public final class ExampleApp {

    private static final String MESSAGE = "Hello, World!";

    private ExampleApp() {}

    /** Starts serving on {@code address} with {@code group}; closing the returned listener stops accepting. */
    public static Listener start(ReactorGroup group, InetSocketAddress address) throws IOException {
        HttpHandler echoHeaders = ExampleApp::echoHeaders;
        return HttpServer.builder()
                .group(group)
                .address(address)
                .get("/plaintext", (request, response) -> response.header("Content-Type", "text/plain").send(MESSAGE))
                .get("/json", (request, response) ->
                        response.header("Content-Type", "application/json").send(jsonObject("message", MESSAGE)))
                .get("/", (request, response) -> response.header("Content-Type", "text/plain").send("OK"))
                .post("/", ExampleApp::echoBody)
                .get("/echo", echoHeaders)
                .post("/echo", echoHeaders)
                .start();
    }

    private static void echoBody(HttpRequest request, HttpResponse response) {
        response.header("Content-Type", "application/octet-stream").send(request.bodyBuffer());
    }

    private static void echoHeaders(HttpRequest request, HttpResponse response) {
        StringBuilder lines = new StringBuilder(256);
        request.headers().forEach((name, value) -> lines.append(name).append(": ").append(value).append('\n'));
        // Field values are opaque octets, read one char per byte: write them back the same way.
        response.header("Content-Type", "text/plain; charset=ISO-8859-1")
                .send(lines.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A one-member JSON object, serialised here rather than pre-rendered. */
    static String jsonObject(String name, String value) {
        StringBuilder json = new StringBuilder(name.length() + value.length() + 8).append('{');
        appendJsonString(json, name);
        json.append(':');
        appendJsonString(json, value);
        return json.append('}').toString();
    }

    private static void appendJsonString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
