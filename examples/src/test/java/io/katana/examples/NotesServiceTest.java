package io.katana.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.http.HttpServer;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.Reactors;
import io.katana.reactor.spi.ReactorProvider;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The README's service example end to end, through the JDK's HTTP client, on every backend. */
class NotesServiceTest {

    static Stream<ReactorProvider> providers() {
        return Reactors.all().stream().filter(ReactorProvider::isAvailable);
    }

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void aSignedInUserCreatesListsReplacesAndDeletesNotesAndTheWritesAreJournalled(ReactorProvider provider)
            throws Exception {
        Path journal = directory.resolve("notes.journal");
        try (ReactorGroup group = provider.open(ReactorConfig.defaults().withThreads(2));
                HttpServer server = start(group, new NotesService(journal))) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI notes = URI.create("http://127.0.0.1:" + server.port() + "/notes");
            String session = signIn(client, notes.resolve("/session"), "ada");

            HttpResponse<String> created = client.send(json(notes, "POST", "{\"text\": \"buy \\\"milk\\\"\"}", session),
                    BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(created.headers().firstValue("Location")).hasValue("/notes/1");
            assertThat(created.body()).isEqualTo("{\"id\":1,\"text\":\"buy \\\"milk\\\"\"}");

            client.send(json(notes, "POST", "{\"text\":\"second\"}", session), BodyHandlers.ofString());
            assertThat(get(client, notes).body())
                    .isEqualTo("[{\"id\":1,\"text\":\"buy \\\"milk\\\"\"},{\"id\":2,\"text\":\"second\"}]");

            HttpResponse<String> replaced = client.send(json(notes.resolve("/notes/2"), "PUT", "{\"text\":\"2nd\"}", session),
                    BodyHandlers.ofString());
            assertThat(replaced.body()).isEqualTo("{\"id\":2,\"text\":\"2nd\"}");

            HttpResponse<String> deleted = client.send(HttpRequest.newBuilder(notes.resolve("/notes/1"))
                    .header("Cookie", session).DELETE().build(), BodyHandlers.ofString());
            assertThat(deleted.statusCode()).isEqualTo(204);
            assertThat(get(client, notes.resolve("/notes/1")).statusCode()).isEqualTo(404);

            assertThat(Files.readAllLines(journal))
                    .containsExactly("create 1 \"buy \\\"milk\\\"\"", "create 2 \"second\"", "replace 2 \"2nd\"", "delete 1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void everyErrorIsAJsonProblemThatSaysWhatWasWrongAndKeepsTheRequestId(ReactorProvider provider) throws Exception {
        try (ReactorGroup group = provider.open(ReactorConfig.defaults().withThreads(1));
                HttpServer server = start(group, new NotesService(directory.resolve("j")))) {
            HttpClient client = HttpClient.newHttpClient();
            URI notes = URI.create("http://127.0.0.1:" + server.port() + "/notes");
            String session = signIn(client, notes.resolve("/session"), "ada");

            List<HttpResponse<String>> answers = List.of(
                    client.send(json(notes, "POST", "{\"text\":", session), BodyHandlers.ofString()),
                    client.send(json(notes, "POST", "{\"title\":\"x\"}", session), BodyHandlers.ofString()),
                    client.send(HttpRequest.newBuilder(notes).header("Cookie", session)
                            .POST(BodyPublishers.ofString("x")).build(), BodyHandlers.ofString()),
                    get(client, notes.resolve("/notes/abc")),
                    client.send(HttpRequest.newBuilder(notes.resolve("/notes/1")).header("Cookie", session)
                            .method("PATCH", BodyPublishers.noBody()).build(), BodyHandlers.ofString()),
                    client.send(json(notes, "POST", "{\"text\":\"x\"}", "session=forged"), BodyHandlers.ofString()),
                    get(client, notes.resolve("/nowhere")),
                    get(client, notes.resolve("/notes/7")),
                    client.send(HttpRequest.newBuilder(notes.resolve("/session"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(BodyPublishers.ofString("user=%zz")).build(), BodyHandlers.ofString()));

            assertThat(answers).extracting(HttpResponse::statusCode)
                    .containsExactly(400, 400, 415, 400, 405, 401, 404, 404, 400);
            assertThat(answers).allSatisfy(answer -> {
                assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
                assertThat(answer.body()).startsWith("{\"error\":\"");
                assertThat(answer.headers().firstValue("X-Request-Id")).isPresent();
            });
            assertThat(answers.get(0).body()).contains("invalid JSON at offset 8");
            assertThat(answers.get(1).body()).contains("needs a \\\"text\\\" field");
            assertThat(answers.get(2).body()).contains("Content-Type: application/json");
            assertThat(answers.get(3).body()).contains("not 'abc'");
            assertThat(answers.get(4).headers().firstValue("Allow").orElse("")).contains("GET", "PUT", "DELETE");
            assertThat(answers.get(5).body()).contains("sign in first");
            assertThat(answers.get(6).body()).contains("no route for /nowhere");
            assertThat(answers.get(7).body()).contains("no note 7");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void anImportIsReadAsItArrivesAndItsFilesAreServed(ReactorProvider provider) throws Exception {
        Path files = Files.createDirectories(directory.resolve("public"));
        Files.writeString(files.resolve("index.html"), "<h1>notes</h1>\n");
        int lines = 20_000;
        try (ReactorGroup group = provider.open(ReactorConfig.defaults().withThreads(1));
                HttpServer server = start(group, new NotesService(directory.resolve("j"), files))) {
            HttpClient client = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + server.port() + "/");
            String session = signIn(client, base.resolve("/session"), "ada");

            String boundary = "katana-notes-boundary";
            StringBuilder body = new StringBuilder()
                    .append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\n")
                    .append("not a file\r\n--").append(boundary)
                    .append("\r\nContent-Disposition: form-data; name=\"notes\"; filename=\"n.txt\"\r\n")
                    .append("Content-Type: text/plain\r\n\r\n");
            for (int i = 1; i <= lines; i++) {
                body.append("note ").append(i).append(i < lines ? "\n" : "");
            }
            body.append("\r\n--").append(boundary).append("--\r\n");
            HttpResponse<String> imported = client.send(HttpRequest.newBuilder(base.resolve("/notes/import"))
                    .header("Cookie", session).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(BodyPublishers.ofString(body.toString())).build(), BodyHandlers.ofString());
            assertThat(imported.statusCode()).isEqualTo(201);
            assertThat(imported.body()).isEqualTo("{\"created\":" + lines + "}");

            HttpResponse<String> last = get(client, base.resolve("/notes/" + lines));
            assertThat(last.body()).isEqualTo("{\"id\":" + lines + ",\"text\":\"note " + lines + "\"}");

            HttpResponse<String> list = client.send(HttpRequest.newBuilder(base.resolve("/notes"))
                    .header("Accept-Encoding", "gzip").build(), BodyHandlers.ofString());
            assertThat(list.headers().firstValue("Content-Encoding")).hasValue("gzip");

            HttpResponse<String> page = get(client, base.resolve("/files/"));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).isEqualTo("<h1>notes</h1>\n");
            assertThat(page.headers().firstValue("ETag")).isPresent();
            assertThat(get(client, base.resolve("/files/..%2fj")).statusCode()).isEqualTo(400);
        }
    }

    private static HttpServer start(ReactorGroup group, NotesService service) throws Exception {
        return service.routes(HttpServer.builder().group(group).address(new InetSocketAddress("127.0.0.1", 0))).start();
    }

    /** Signs in and returns the {@code Cookie} header value that carries the session. */
    private static String signIn(HttpClient client, URI session, String user) throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(session)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("user=" + user)).build(), BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(204);
        String setCookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith(NotesService.SESSION_COOKIE + "=").contains("HttpOnly", "SameSite=Lax", "Path=/");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static HttpRequest json(URI uri, String method, String body, String cookie) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json").header("Cookie", cookie)
                .method(method, BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).GET().build(), BodyHandlers.ofString());
    }
}
