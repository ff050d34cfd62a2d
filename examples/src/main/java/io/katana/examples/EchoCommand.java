package io.katana.examples;

import io.katana.reactor.Listener;
import io.katana.reactor.ReactorGroup;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/** {@code katana echo}: a line echo server on the reactor SPI (see {@link LineEchoHandler}). */
final class EchoCommand {
    private EchoCommand() {}

    static int run(CommandLine line, PrintStream out) {
        ServerOptions options = ServerOptions.from(line, 7007);
        ReactorGroup group = options.provider().open(options.config());
        Listener listener;
        try {
            listener = group.listen(options.address(), LineEchoHandler::new);
        } catch (IOException e) {
            group.close();
            throw options.cannotListen(e);
        }
        Lifecycle.stopOnSignal(out, listener, group, Duration.ofSeconds(5));
        out.printf("katana: echoing lines on %s on %s with %d reactor%s%n",
                options.authority(listener.localAddress()), group.backend(), group.reactors().size(), group.reactors().size() == 1 ? "" : "s");
        out.flush();
        return ServeCommand.KEEP_RUNNING;
    }
}
