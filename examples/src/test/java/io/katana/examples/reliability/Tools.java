package io.katana.examples.reliability;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Whether an outside tool (a client, a scanner) is installed, for the tests that skip without it. Stateless. */
final class Tools {
    private Tools() {}

    /** {@return whether {@code probe} (a tool and harmless arguments, such as {@code --version}) runs and succeeds} */
    static boolean runs(String... probe) {
        try {
            Process process = new ProcessBuilder(probe).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
