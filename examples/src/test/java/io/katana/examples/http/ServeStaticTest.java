package io.katana.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katana.examples.ExampleApp;
import io.katana.http.HttpServer;
import io.katana.http.HttpTimeouts;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.spi.ReactorProvider;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code katana serve --static DIR}: the folder's files under /files/, beside the example routes, on every backend. */
class ServeStaticTest {

    static Stream<ReactorProvider> providers() {
        return ServiceLoader.load(ReactorProvider.class).stream().map(ServiceLoader.Provider::get);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void servesTheFolderUnderFilesBesideTheExampleRoutes(ReactorProvider provider, @TempDir Path folder) throws Exception {
        assumeTrue(provider.isAvailable(), () -> provider.name() + " is not available here: " + provider.availability().reason());
        byte[] content = new byte[2 * 1024 * 1024 + 3];
        new Random(11).nextBytes(content);
        Files.write(folder.resolve("data.bin"), content);
        Files.writeString(folder.resolve("index.html"), "<h1>static</h1>");
        ReactorGroup group = provider.open(ReactorConfig.defaults().withThreads(2).withThreadNamePrefix(provider.name() + "-static-"));
        try (group; HttpServer server = ExampleApp.start(group, new InetSocketAddress("127.0.0.1", 0), ListenOptions.DEFAULT,
                HttpTimeouts.DEFAULT, folder); HttpClient client = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<byte[]> data = client.send(HttpRequest.newBuilder(URI.create(base + "/files/data.bin")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(data.statusCode()).isEqualTo(200);
            assertThat(data.body()).isEqualTo(content);
            HttpResponse<String> index = client.send(HttpRequest.newBuilder(URI.create(base + "/files/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(index.body()).isEqualTo("<h1>static</h1>");
            assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            HttpResponse<String> plaintext = client.send(HttpRequest.newBuilder(URI.create(base + "/plaintext")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(plaintext.body()).isEqualTo("Hello, World!");
        }
    }
}
