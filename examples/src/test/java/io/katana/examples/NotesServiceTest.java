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

/** The REST example end to end, through the JDK's HTTP client, on every backend. */
class NotesServiceTest {

    static Stream<ReactorProvider> providers() {
        return Reactors.all().stream().filter(ReactorProvider::isAvailable);
    }

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void createsListsReplacesAndDeletesNotesAndJournalsTheWrites(ReactorProvider provider) throws Exception {
        Path journal = directory.resolve("notes.journal");
        try (ReactorGroup group = provider.open(ReactorConfig.defaults().withThreads(2));
                HttpServer server = new NotesService(journal)
                        .routes(HttpServer.builder().group(group).address(new InetSocketAddress("127.0.0.1", 0)))
                        .start()) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI notes = URI.create("http://127.0.0.1:" + server.port() + "/notes");

            HttpResponse<String> created = client.send(json(notes, "POST", "{\"text\": \"buy \\\"milk\\\"\"}"),
                    BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(created.headers().firstValue("Location")).hasValue("/notes/1");
            assertThat(created.body()).isEqualTo("{\"id\":1,\"text\":\"buy \\\"milk\\\"\"}");

            client.send(json(notes, "POST", "{\"text\":\"second\"}"), BodyHandlers.ofString());
            assertThat(get(client, notes).body())
                    .isEqualTo("[{\"id\":1,\"text\":\"buy \\\"milk\\\"\"},{\"id\":2,\"text\":\"second\"}]");

            HttpResponse<String> replaced = client.send(json(notes.resolve("/notes/2"), "PUT", "{\"text\":\"2nd\"}"),
                    BodyHandlers.ofString());
            assertThat(replaced.body()).isEqualTo("{\"id\":2,\"text\":\"2nd\"}");

            HttpResponse<String> deleted = client.send(HttpRequest.newBuilder(notes.resolve("/notes/1"))
                    .DELETE().build(), BodyHandlers.ofString());
            assertThat(deleted.statusCode()).isEqualTo(204);
            assertThat(get(client, notes.resolve("/notes/1")).statusCode()).isEqualTo(404);

            assertThat(Files.readAllLines(journal))
                    .containsExactly("create 1 \"buy \\\"milk\\\"\"", "create 2 \"second\"", "replace 2 \"2nd\"", "delete 1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void badInputGetsA4xxThatSaysWhatWasWrong(ReactorProvider provider) throws Exception {
        try (ReactorGroup group = provider.open(ReactorConfig.defaults().withThreads(1));
                HttpServer server = new NotesService(directory.resolve("j"))
                        .routes(HttpServer.builder().group(group).address(new InetSocketAddress("127.0.0.1", 0)))
                        .start()) {
            HttpClient client = HttpClient.newHttpClient();
            URI notes = URI.create("http://127.0.0.1:" + server.port() + "/notes");

            List<HttpResponse<String>> answers = List.of(
                    client.send(json(notes, "POST", "{\"text\":"), BodyHandlers.ofString()),
                    client.send(json(notes, "POST", "{\"title\":\"x\"}"), BodyHandlers.ofString()),
                    client.send(HttpRequest.newBuilder(notes).POST(BodyPublishers.ofString("x")).build(),
                            BodyHandlers.ofString()),
                    get(client, notes.resolve("/notes/abc")),
                    client.send(HttpRequest.newBuilder(notes.resolve("/notes/1"))
                            .method("PATCH", BodyPublishers.noBody()).build(), BodyHandlers.ofString()));

            assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(400, 400, 415, 400, 405);
            assertThat(answers.get(0).body()).contains("invalid JSON at offset 8");
            assertThat(answers.get(1).body()).contains("needs a \\\"text\\\" field");
            assertThat(answers.get(2).body()).contains("Content-Type: application/json");
            assertThat(answers.get(3).body()).contains("not 'abc'");
            assertThat(answers.get(4).headers().firstValue("Allow").orElse("")).contains("GET", "PUT", "DELETE");
        }
    }

    private static HttpRequest json(URI uri, String method, String body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .method(method, BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).GET().build(), BodyHandlers.ofString());
    }
}
