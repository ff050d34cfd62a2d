package io.katana.examples.reliability;

import io.katana.examples.ExampleApp;

/** What the example app's routes answer, so a client can check every body it gets. */
final class BodyCheck {
    private BodyCheck() {}

    /** Whether {@code body} is the whole {@code /chunked?kb=kib} body, every byte in place. */
    static boolean isPattern(byte[] body, int kib) {
        if (body.length != kib * 1024) {
            return false;
        }
        for (int i = 0; i < body.length; i++) {
            if (body[i] != ExampleApp.patternByte(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code response} is what {@code target} gets from the example app. */
    static boolean isExpected(String target, HttpWire.Response response) {
        if (response.status() != 200) {
            return false;
        }
        if (target.startsWith("/chunked?kb=")) {
            return isPattern(response.body(), Integer.parseInt(target.substring("/chunked?kb=".length())));
        }
        if (target.startsWith("/delay") || target.equals("/")) {
            return response.text().equals("OK");
        }
        if (target.equals("/plaintext")) {
            return response.text().equals("Hello, World!");
        }
        if (target.equals("/json")) {
            return response.text().equals("{\"message\":\"Hello, World!\"}");
        }
        throw new IllegalArgumentException("no expectation for " + target);
    }
}
