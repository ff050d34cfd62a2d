package io.katana.examples;

import io.katana.http.HttpServer;
import io.katana.reactor.ReactorGroup;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code katana rest [--journal FILE] [--static DIR]}: the notes REST service ({@link NotesService}),
 * with DIR's files under {@code /files/}, until Ctrl-C or SIGTERM.
 */
final class RestCommand {
    static final Set<String> OPTIONS = options();

    private RestCommand() {}

    private static Set<String> options() {
        Set<String> names = new HashSet<>(ServerOptions.NAMES);
        names.add("journal");
        names.add("static");
        return Set.copyOf(names);
    }

    static int run(CommandLine line, PrintStream out) {
        ServerOptions options = ServerOptions.from(line, 8081);
        Path journal;
        try {
            journal = line.has("journal") ? Path.of(line.get("journal", null))
                    : Files.createTempFile("katana-notes-", ".journal");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create a journal file: " + e.getMessage(), e);
        }
        Path files = ServeCommand.staticRoot(line);
        ReactorGroup group = options.provider().open(options.config());
        HttpServer server;
        try {
            server = new NotesService(journal, files).routes(HttpServer.builder().group(group).address(options.address()))
                    .start();
        } catch (IOException e) {
            group.close();
            throw options.cannotListen(e);
        }
        Lifecycle.stopOnSignal(out, server, group, Duration.ofSeconds(10));
        out.printf("katana: notes service on http://%s/notes on %s with %d reactor%s (journal %s)%n",
                options.authority(server.localAddress()), group.backend(),
                group.reactors().size(), group.reactors().size() == 1 ? "" : "s", journal);
        if (files != null) {
            out.printf("katana: files of %s under http://%s/files/%n", files, options.authority(server.localAddress()));
        }
        out.flush();
        return ServeCommand.KEEP_RUNNING;
    }
}
