package io.katana.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.spi.ReactorProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The JFR events a recording sees: slow requests over the threshold, and connections opening and closing. */
class FlightRecorderEventsTest {

    static List<ReactorProvider> providers() {
        return ProviderServers.providers();
    }

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void slowRequestsAndConnectionLifecyclesAreRecorded(ReactorProvider provider) throws Exception {
        Path dump = directory.resolve("katana.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("io.katana.SlowRequest").withThreshold(Duration.ofMillis(100));
            recording.enable("io.katana.ConnectionOpened");
            recording.enable("io.katana.ConnectionClosed");
            recording.start();
            try (ProviderServers.Running running = ProviderServers.start(provider, routes -> routes
                    .get("/fast", (req, res) -> res.send("fast"))
                    .get("/slow", HttpHandler.blocking((req, res) -> {
                        Thread.sleep(300);
                        res.send("slow");
                    })));
                    RawHttpClient client = running.client()) {
                assertThat(client.exchange("GET /fast HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(200);
                assertThat(client.exchange("GET /slow?x=1 HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(200);
            }
            recording.stop();
            recording.dump(dump);
        }

        List<RecordedEvent> events = RecordingFile.readAllEvents(dump);
        List<RecordedEvent> slow = events.stream().filter(e -> e.getEventType().getName().equals("io.katana.SlowRequest")).toList();
        assertThat(slow).as("slow requests over 100 ms; /fast is not one").hasSize(1);
        RecordedEvent request = slow.getFirst();
        assertThat(request.getString("method")).isEqualTo("GET");
        assertThat(request.getString("target")).isEqualTo("/slow?x=1");
        assertThat(request.getInt("status")).isEqualTo(200);
        assertThat(request.getString("backend")).isEqualTo(provider.name());
        assertThat(request.getBoolean("blocking")).isTrue();
        assertThat(request.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(250));

        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("io.katana.ConnectionOpened"))
                .anySatisfy(e -> assertThat(e.getBoolean("outgoing")).isFalse());
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("io.katana.ConnectionClosed"))
                .anySatisfy(e -> assertThat(e.getLong("bytesRead")).isPositive());
    }
}
