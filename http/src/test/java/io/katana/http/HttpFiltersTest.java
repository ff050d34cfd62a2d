package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.katana.reactor.spi.ReactorProvider;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Filters (before, around, after) and route groups; on every backend. */
class HttpFiltersTest {

    private static final String PROVIDERS = "io.katana.http.ProviderServers#providers";

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void runsFiltersInRegistrationOrderAroundTheHandler(ReactorProvider provider) throws Exception {
        List<String> trace = new CopyOnWriteArrayList<>();
        try (var server = ProviderServers.start(provider, b -> b
                .filter((req, res, next) -> {
                    trace.add("around-in");
                    next.handle(req, res);
                    trace.add("around-out");
                })
                .before((req, res) -> trace.add("before"))
                .after((req, res) -> {
                    trace.add("after:" + res.status());
                    res.header("X-After", "status " + res.status());
                })
                .get("/x", (req, res) -> {
                    trace.add("handler");
                    res.status(202).send("x");
                }));
             var client = server.client()) {
            RawHttpClient.Response response = client.exchange("GET /x HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(response.status()).isEqualTo(202);
            assertThat(response.header("X-After")).isEqualTo("status 202");
            assertThat(trace).containsExactly("around-in", "before", "handler", "after:202", "around-out");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void aFilterThatAnswersShortCircuitsTheChain(ReactorProvider provider) throws Exception {
        List<String> trace = new CopyOnWriteArrayList<>();
        try (var server = ProviderServers.start(provider, b -> b
                .filter((req, res, next) -> {
                    if (req.header("Authorization") == null) {
                        res.status(401).send("sign in\n");
                        return;
                    }
                    next.handle(req, res);
                })
                .before((req, res) -> {
                    if (req.queryParam("stop") != null) {
                        res.status(403).send("stopped by before\n");
                    }
                })
                .get("/x", (req, res) -> {
                    trace.add("handler");
                    res.send("ok");
                }));
             var client = server.client()) {
            assertThat(client.exchange("GET /x HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(401);
            assertThat(client.exchange("GET /x?stop HTTP/1.1\r\nHost: h\r\nAuthorization: t\r\n\r\n").status()).isEqualTo(403);
            assertThat(trace).isEmpty();
            assertThat(client.exchange("GET /x HTTP/1.1\r\nHost: h\r\nAuthorization: t\r\n\r\n").bodyText()).isEqualTo("ok");
            assertThat(trace).containsExactly("handler");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void afterFiltersRunWhenALateAnswerIsSentFromAnotherThread(ReactorProvider provider) throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        try (var server = ProviderServers.start(provider, b -> b
                .after((req, res) -> {
                    threads.add(Thread.currentThread().getName());
                    res.header("X-Seen-Status", Integer.toString(res.status()));
                })
                .get("/later", (req, res) -> CompletableFuture.runAsync(() -> {
                    Thread.currentThread().setName("answering-thread");
                    res.status(201).send("later");
                })));
             var client = server.client()) {
            RawHttpClient.Response response = client.exchange("GET /later HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(response.status()).isEqualTo(201);
            assertThat(response.header("X-Seen-Status")).isEqualTo("201");
            assertThat(threads).containsExactly("answering-thread");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void filtersAroundABlockingHandlerRunOnItsVirtualThread(ReactorProvider provider) throws Exception {
        List<Boolean> filterOnVirtual = new CopyOnWriteArrayList<>();
        try (var server = ProviderServers.start(provider, b -> b
                .filter((req, res, next) -> {
                    filterOnVirtual.add(Thread.currentThread().isVirtual());
                    next.handle(req, res);
                })
                .get("/blocking", HttpHandler.blocking((req, res) -> {
                    Thread.sleep(20);
                    res.send("blocked " + Thread.currentThread().isVirtual());
                }))
                .get("/plain", (req, res) -> res.send("plain")));
             var client = server.client()) {
            assertThat(client.exchange("GET /blocking HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("blocked true");
            assertThat(client.exchange("GET /plain HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("plain");
            assertThat(filterOnVirtual).containsExactly(true, false);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(PROVIDERS)
    void groupsPrefixTheirRoutesAndFilterOnlyThem(ReactorProvider provider) throws Exception {
        try (var server = ProviderServers.start(provider, b -> b
                .before((req, res) -> res.header("X-Server", "1"))
                .get("/open", (req, res) -> res.send("open:" + res.header("X-Api")))
                .group("/api", api -> api
                        .before((req, res) -> res.header("X-Api", "1"))
                        .get("/", (req, res) -> res.send("api root"))
                        .get("/todos/{id}", (req, res) -> res.send("todo " + req.pathParam("id") + ":" + res.header("X-Api")))
                        .group("/admin/", admin -> admin
                                .filter((req, res, next) -> {
                                    if (req.header("X-Admin") == null) {
                                        res.status(403).send("admins only\n");
                                    } else {
                                        next.handle(req, res);
                                    }
                                })
                                .delete("/todos/{id}", (req, res) -> res.send("deleted " + req.pathParam("id"))))));
             var client = server.client()) {
            RawHttpClient.Response open = client.exchange("GET /open HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(open.bodyText()).isEqualTo("open:null");
            assertThat(open.header("X-Server")).isEqualTo("1");
            assertThat(client.exchange("GET /api HTTP/1.1\r\nHost: h\r\n\r\n").bodyText()).isEqualTo("api root");
            RawHttpClient.Response todo = client.exchange("GET /api/todos/7 HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(todo.bodyText()).isEqualTo("todo 7:1");
            assertThat(todo.header("X-Server")).isEqualTo("1");
            assertThat(client.exchange("DELETE /api/admin/todos/7 HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(403);
            RawHttpClient.Response deleted = client.exchange("DELETE /api/admin/todos/7 HTTP/1.1\r\nHost: h\r\nX-Admin: y\r\n\r\n");
            assertThat(deleted.bodyText()).isEqualTo("deleted 7");
            assertThat(deleted.header("X-Api")).isEqualTo("1");
            // A group's filters shape the 405 of its paths; a path nobody has gets the server's only.
            RawHttpClient.Response notAllowed = client.exchange("POST /api/todos/7 HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
            assertThat(notAllowed.status()).isEqualTo(405);
            assertThat(notAllowed.header("X-Api")).isEqualTo("1");
            assertThat(notAllowed.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
            RawHttpClient.Response missing = client.exchange("GET /api/nothing HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.header("X-Server")).isEqualTo("1");
            assertThat(missing.header("X-Api")).isNull();
        }
    }

    @Test
    void refusesADuplicateRouteAcrossGroupsNamingIt() {
        assertThatThrownBy(() -> HttpServer.builder()
                .get("/api/x", (req, res) -> res.send())
                .group("/api", api -> api.get("/x", (req, res) -> res.send())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GET /api/x");
        assertThatThrownBy(() -> HttpServer.builder().group("api", api -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with '/'");
    }
}
