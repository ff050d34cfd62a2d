package io.katana.examples;

import io.katana.reactor.Listener;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.ReactorStats;
import java.io.PrintStream;
import java.time.Duration;

/** How the launcher's servers stop on Ctrl-C or SIGTERM, and report their counters while they run. */
final class Lifecycle {
    private Lifecycle() {}

    /** On JVM shutdown: stop accepting, drain connections for up to {@code drain}, say so. */
    static void stopOnSignal(PrintStream out, Listener listener, ReactorGroup group, Duration drain) {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("katana-shutdown").unstarted(() -> {
            out.println("katana: shutting down (draining connections for up to " + drain.toSeconds() + " s)");
            out.flush();
            listener.close();
            group.shutdownGracefully(drain).join();
            out.println("katana: stopped");
            out.flush();
        }));
    }

    /** Prints one line of the group's counters every {@code interval}, from a daemon thread. */
    static void printStats(PrintStream out, ReactorGroup group, Duration interval) {
        Thread.ofPlatform().name("katana-stats").daemon(true).start(() -> {
            ReactorStats previous = group.stats();
            long previousAt = System.nanoTime();
            while (!group.isShuttingDown()) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                ReactorStats now = group.stats();
                long at = System.nanoTime();
                double seconds = (at - previousAt) / 1e9;
                out.printf("katana: stats: %d active, %d accepted, %d closed (%d by error), %.0f req/s, "
                                + "%.2f MB/s in, %.2f MB/s out, %d loop iterations, %d tasks%n",
                        now.activeConnections(), now.connectionsAccepted(), now.connectionsClosed(), now.errors(),
                        (now.requests() - previous.requests()) / seconds,
                        (now.bytesRead() - previous.bytesRead()) / seconds / 1e6,
                        (now.bytesWritten() - previous.bytesWritten()) / seconds / 1e6,
                        now.loopIterations(), now.tasksRun());
                out.flush();
                previous = now;
                previousAt = at;
            }
        });
    }
}
