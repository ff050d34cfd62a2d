package io.katana.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.katana.http.HttpHandler;
import io.katana.http.HttpLimits;
import io.katana.http.HttpMethod;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static final HttpHandler NOTHING = (req, res) -> { };

    private final Router router = new Router(List.of(
            Route.of(HttpMethod.GET, "/", NOTHING),
            Route.of(HttpMethod.GET, "/users/new", NOTHING),
            Route.of(HttpMethod.GET, "/users/{id}", NOTHING),
            Route.of(HttpMethod.DELETE, "/users/{id}", NOTHING),
            Route.of(HttpMethod.GET, "/users/{id}/posts/{post}", NOTHING),
            Route.of(HttpMethod.POST, "/users/new/confirm", NOTHING),
            Route.of(HttpMethod.GET, "/files/a b", NOTHING),
            Route.of(HttpMethod.of("PURGE"), "/cache", NOTHING)));

    @Test
    void literalSegmentsWinOverParameters() {
        RouteMatch match = route("GET", "/users/new");
        assertThat(match.outcome()).isEqualTo(RouteMatch.FOUND);
        assertThat(match.route().pattern()).isEqualTo("/users/new");
        assertThat(route("GET", "/users/42").route().pattern()).isEqualTo("/users/{id}");
    }

    @Test
    void aLiteralBranchThatLeadsNowhereFallsBackToTheParameter() {
        RouteMatch match = route("GET", "/users/new/posts/7");
        assertThat(match.route().pattern()).isEqualTo("/users/{id}/posts/{post}");
        assertThat(parameters(match)).containsExactly("new", "7");
    }

    @Test
    void recordsParameterValues() {
        RouteMatch match = route("GET", "/users/a%2Fb/posts/x");
        assertThat(parameters(match)).containsExactly("a%2Fb", "x");
    }

    @Test
    void decodesPercentEncodingWhileComparing() {
        assertThat(route("GET", "/files/a%20b").outcome()).isEqualTo(RouteMatch.FOUND);
        assertThat(route("GET", "/%75sers/new").route().pattern()).isEqualTo("/users/new");
    }

    @Test
    void headUsesGet() {
        assertThat(route("HEAD", "/users/1").route().method()).isEqualTo(HttpMethod.GET);
    }

    @Test
    void unknownPathIs404AndKnownPathWithOtherMethodIs405WithAllow() {
        assertThat(route("GET", "/nope").outcome()).isEqualTo(RouteMatch.NOT_FOUND);
        assertThat(route("GET", "/users/1/").outcome()).isEqualTo(RouteMatch.NOT_FOUND);
        assertThat(route("GET", "/users//posts/1").outcome()).isEqualTo(RouteMatch.NOT_FOUND);
        RouteMatch match = route("PUT", "/users/1");
        assertThat(match.outcome()).isEqualTo(RouteMatch.METHOD_NOT_ALLOWED);
        assertThat(match.allow()).isEqualTo("GET, HEAD, DELETE, OPTIONS");
        assertThat(route("POST", "/").allow()).isEqualTo("GET, HEAD, OPTIONS");
    }

    @Test
    void optionsOnAKnownPathIsAnsweredAutomatically() {
        RouteMatch match = route("OPTIONS", "/users/new/confirm");
        assertThat(match.outcome()).isEqualTo(RouteMatch.OPTIONS);
        assertThat(match.allow()).isEqualTo("POST, OPTIONS");
    }

    @Test
    void anUnknownExtensionMethodIs501ButARegisteredOneIsRouted() {
        assertThat(route("BREW", "/").outcome()).isEqualTo(RouteMatch.NOT_IMPLEMENTED);
        assertThat(route("PURGE", "/cache").outcome()).isEqualTo(RouteMatch.FOUND);
        assertThat(route("TRACE", "/").outcome()).isEqualTo(RouteMatch.METHOD_NOT_ALLOWED);
        assertThat(router.allowAll()).isEqualTo("GET, HEAD, DELETE, POST, PURGE, OPTIONS");
    }

    @Test
    void anAbsoluteFormTargetWithoutPathIsTheRoot() {
        RequestHead head = parse("GET http://h HTTP/1.1\r\nHost: h\r\n\r\n");
        RouteMatch match = new RouteMatch();
        router.match(head, match);
        assertThat(match.route().pattern()).isEqualTo("/");
    }

    @Test
    void aFinalStarTakesTheRestOfThePathAndYieldsToLiteralsAndParameters() {
        Router withTail = new Router(List.of(
                Route.of(HttpMethod.GET, "/static/*", NOTHING),
                Route.of(HttpMethod.GET, "/static/special", NOTHING),
                Route.of(HttpMethod.GET, "/users/{id}", NOTHING),
                Route.of(HttpMethod.GET, "/users/*", NOTHING),
                Route.of(HttpMethod.PUT, "/*", NOTHING)));
        RouteMatch match = new RouteMatch();
        withTail.match(parse("GET /static/css/site%2Fa.css HTTP/1.1\r\nHost: h\r\n\r\n"), match);
        assertThat(match.route().pattern()).isEqualTo("/static/*");
        assertThat(parameters(match)).containsExactly("css/site%2Fa.css");
        withTail.match(parse("GET /static/ HTTP/1.1\r\nHost: h\r\n\r\n"), match);
        assertThat(parameters(match)).as("a trailing slash: an empty rest").containsExactly("");
        withTail.match(parse("GET /static HTTP/1.1\r\nHost: h\r\n\r\n"), match);
        assertThat(match.outcome()).as("no rest at all").isEqualTo(RouteMatch.METHOD_NOT_ALLOWED);
        withTail.match(parse("GET /static/special HTTP/1.1\r\nHost: h\r\n\r\n"), match);
        assertThat(match.route().pattern()).isEqualTo("/static/special");
        withTail.match(parse("GET /users/7 HTTP/1.1\r\nHost: h\r\n\r\n"), match);
        assertThat(match.route().pattern()).isEqualTo("/users/{id}");
        withTail.match(parse("GET /users/7/avatar HTTP/1.1\r\nHost: h\r\n\r\n"), match);
        assertThat(match.route().pattern()).isEqualTo("/users/*");
        assertThat(parameters(match)).containsExactly("7/avatar");
        withTail.match(parse("DELETE /static/x HTTP/1.1\r\nHost: h\r\n\r\n"), match);
        assertThat(match.outcome()).isEqualTo(RouteMatch.METHOD_NOT_ALLOWED);
        assertThat(match.allow()).isEqualTo("GET, HEAD, OPTIONS");
        assertThatThrownBy(() -> Route.of(HttpMethod.GET, "/a/*/b", NOTHING)).hasMessageContaining("last segment");
    }

    @Test
    void refusesMalformedOrDuplicateRoutes() {
        assertThatThrownBy(() -> Route.of(HttpMethod.GET, "users", NOTHING)).hasMessageContaining("start with '/'");
        assertThatThrownBy(() -> Route.of(HttpMethod.GET, "/a/{b", NOTHING)).hasMessageContaining("whole segment");
        assertThatThrownBy(() -> Route.of(HttpMethod.GET, "/{a}/{a}", NOTHING)).hasMessageContaining("twice");
        assertThatThrownBy(() -> new Router(List.of(Route.of(HttpMethod.GET, "/x/{a}", NOTHING),
                Route.of(HttpMethod.GET, "/x/{b}", NOTHING)))).hasMessageContaining("two routes for GET");
    }

    private RouteMatch route(String method, String path) {
        RouteMatch match = new RouteMatch();
        router.match(parse(method + " " + path + " HTTP/1.1\r\nHost: h\r\n\r\n"), match);
        return match;
    }

    private static List<String> parameters(RouteMatch match) {
        RequestHead head = lastHead;
        int count = match.route().parameterNames().length;
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            values[i] = head.latin1(match.parameterStart(i), match.parameterEnd(i));
        }
        return List.of(values);
    }

    private static RequestHead lastHead;

    private static RequestHead parse(String raw) {
        RequestHeadParser parser = new RequestHeadParser(HttpLimits.DEFAULT);
        RequestHead head = new RequestHead();
        parser.begin(head);
        ByteBuffer buf = ByteBuffer.wrap(raw.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(parser.parse(buf, 0, buf.limit())).as(parser.errorReason()).isEqualTo(RequestHeadParser.COMPLETE);
        lastHead = head;
        return head;
    }
}
