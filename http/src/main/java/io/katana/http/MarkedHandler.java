package io.katana.http;

import java.util.Objects;

/**
 * A handler as {@link HttpHandler#blocking} or {@link HttpHandler#streaming} return it: its delegate
 * with the two marks the server reads at dispatch. Each factory keeps the mark the other set, so
 * they combine in either order.
 */
final class MarkedHandler implements HttpHandler {
    private final HttpHandler delegate;
    private final boolean blocking;
    private final boolean streaming;
    private final String mark;

    MarkedHandler(HttpHandler delegate, boolean blocking, boolean streaming, String mark) {
        this.delegate = Objects.requireNonNull(delegate, "handler");
        this.blocking = blocking;
        this.streaming = streaming;
        this.mark = mark;
    }

    @Override
    public void handle(HttpRequest request, HttpResponse response) throws Exception {
        delegate.handle(request, response);
    }

    @Override
    public boolean isBlocking() {
        return blocking;
    }

    @Override
    public boolean isStreaming() {
        return streaming;
    }

    @Override
    public String toString() {
        return mark + "(" + delegate + ")";
    }
}
