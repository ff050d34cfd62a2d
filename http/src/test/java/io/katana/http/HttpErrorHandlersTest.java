package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.spi.ReactorProvider;
import java.io.UncheckedIOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Error handlers by status and by exception type, and the headers they keep; on every backend. */
class HttpErrorHandlersTest {

    private static final String PROVIDERS = "io.katana.http.ProviderServers#providers";

    static class NotFoundException extends RuntimeException {
        NotFoundException(String message) {
            super(message);
        }
    }

    static final class TodoNotFoundException extends NotFoundException {
        TodoNotFoundException(String id) {
            super("no todo " + id);
        }
    }

    private static HttpServer.Builder service(HttpServer.Builder b) {
        return b
                .before((req, res) -> res.header("X-Request-Id", "r-1"))
                .error(404, (req, res) -> res.header("Content-Type", "application/json").send("{\"error\":\"no route\"}"))
                .error(405, (req, res) -> res.send("405 for " + req.method() + ", allowed: " + res.header("Allow")))
                .error(500, (req, res) -> res.send("custom 500"))
                .exception(NotFoundException.class, (ex, req, res) -> res.status(404).send("generic: " + ex.getMessage()))
                .exception(TodoNotFoundException.class, (ex, req, res) -> res.status(404).send("todo: " + ex.getMessage()))
                .exception(IllegalArgumentException.class, (ex, req, res) -> {
                    throw new IllegalStateException("the exception handler fails too");
                })
                .get("/todos/{id}", (req, res) -> {
                    res.header("Content-Type", "application/json"); // the handler's own: dropped on failure
                    res.header("X-Handler", "1");
                    throw new TodoNotFoundException(req.pathParam("id"));
                })
                .get("/things/{id}", (req, res) -> {
                    throw new NotFoundException("no thing " + req.pathParam("id"));
                })
                .get("/bug", (req, res) -> {
                    throw new UncheckedIOException(new java.io.IOException("disk on fire"));
                })
                .get("/bad", (req, res) -> {
                    throw new IllegalArgumentException("bad");
                })
                .get("/blocking-bug", HttpHandler.blocking((req, res) -> {
                    throw new TodoNotFoundException("b");
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void mapsExceptionsByTheMostSpecificTypeKeepingTheFiltersHeaders(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpErrorHandlersTest::service); var client = server.client()) {
            RawHttpClient.Response todo = client.exchange("GET /todos/3 HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(todo.status()).isEqualTo(404);
            assertThat(todo.bodyText()).isEqualTo("todo: no todo 3");
            assertThat(todo.header("X-Request-Id")).isEqualTo("r-1");
            assertThat(todo.header("X-Handler")).isNull();
            assertThat(todo.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(client.exchange("GET /things/4 HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("generic: no thing 4");
            RawHttpClient.Response blocking = client.exchange("GET /blocking-bug HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(blocking.bodyText()).isEqualTo("todo: no todo b");
            assertThat(blocking.header("X-Request-Id")).isEqualTo("r-1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void unmappedExceptionsGetThe500HandlerAndAFailingExceptionHandlerThePlain500(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, HttpErrorHandlersTest::service); var client = server.client()) {
            RawHttpClient.Response bug = client.exchange("GET /bug HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(bug.status()).isEqualTo(500);
            assertThat(bug.bodyText()).isEqualTo("custom 500");
            assertThat(bug.header("X-Request-Id")).isEqualTo("r-1");
            RawHttpClient.Response bad = client.exchange("GET /bad HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(bad.status()).isEqualTo(500);
            assertThat(bad.bodyText()).isEqualTo("custom 500");
            // The connection goes on serving.
            assertThat(client.exchange("GET /things/5 HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void shapesTheServersOwn404And405WithAllowAndTheAutomaticOptionsThroughTheFilters(ReactorProvider provider)
            throws Exception {
        try (var server = ProviderServers.start(provider, HttpErrorHandlersTest::service); var client = server.client()) {
            RawHttpClient.Response missing = client.exchange("GET /nowhere HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.header("Content-Type")).isEqualTo("application/json");
            assertThat(missing.bodyText()).isEqualTo("{\"error\":\"no route\"}");
            assertThat(missing.header("X-Request-Id")).isEqualTo("r-1");
            RawHttpClient.Response notAllowed = client.exchange("DELETE /todos/1 HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(notAllowed.status()).isEqualTo(405);
            assertThat(notAllowed.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
            assertThat(notAllowed.bodyText()).isEqualTo("405 for DELETE, allowed: GET, HEAD, OPTIONS");
            RawHttpClient.Response options = client.exchange("OPTIONS /todos/1 HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(options.status()).isEqualTo(204);
            assertThat(options.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
            assertThat(options.header("X-Request-Id")).isEqualTo("r-1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void withoutErrorHandlersTheAnswersStayPlain(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, b -> b
                .get("/bug", (req, res) -> {
                    throw new IllegalStateException("boom");
                }));
             var client = server.client()) {
            RawHttpClient.Response bug = client.exchange("GET /bug HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(bug.status()).isEqualTo(500);
            assertThat(bug.bodyText()).isEqualTo("Internal Server Error\n");
            assertThat(client.exchange("GET /x HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("Not Found\n");
            RawHttpClient.Response notAllowed = client.exchange("PUT /bug HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
            assertThat(notAllowed.status()).isEqualTo(405);
            assertThat(notAllowed.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        }
    }
}
