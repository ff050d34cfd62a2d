/**
 * Katana's HTTP/1.1 server.
 *
 * <ul>
 *   <li>{@link io.katana.http.HttpServer} and its {@link io.katana.http.HttpServer.Builder}: routes,
 *       limits, timeouts; start and stop.
 *   <li>{@link io.katana.http.HttpHandler} answers a route; {@link io.katana.http.HttpHandler#blocking}
 *       moves one onto virtual threads, {@link io.katana.http.HttpHandler#streaming} lets one read its
 *       body as it arrives ({@link io.katana.http.RequestBody}, {@link io.katana.http.MultipartReader}
 *       and its {@link io.katana.http.Part}s); {@link io.katana.http.RouteOptions} are a route's own
 *       settings (request timeout, body limit).
 *   <li>{@link io.katana.http.HttpRequest}, {@link io.katana.http.HttpHeaders}, {@link
 *       io.katana.http.HttpMethod}: what arrived.
 *   <li>{@link io.katana.http.HttpResponse} and {@link io.katana.http.ResponseStream}: what goes back;
 *       {@link io.katana.http.Cookie} builds a {@code Set-Cookie}; {@link
 *       io.katana.http.HttpStatusException} ends a request with a client-error status.
 *   <li>{@link io.katana.http.HttpFilter}, {@link io.katana.http.RouteGroup}, {@link
 *       io.katana.http.ExceptionHandler}: filters, groups under a prefix, error answers; {@link
 *       io.katana.http.Cors}, {@link io.katana.http.AccessLogFormat} and {@link io.katana.http.Gzip}:
 *       ready-made CORS, access log and compression.
 *   <li>{@link io.katana.http.HttpLimits} and {@link io.katana.http.HttpTimeouts}: the bounds put on
 *       clients.
 * </ul>
 *
 * <h2>Threading</h2>
 *
 * A connection's requests are parsed and, by default, handled on the reactor thread that owns the
 * connection; handlers must not block there. Responses may be sent from any thread. Blocking handlers
 * run on virtual threads.
 *
 * <h2>Strictness</h2>
 *
 * Requests that RFC 9112 forbids, or that could be framed two ways (request smuggling), are refused
 * with 400 (or 414, 431, 413, 417, 501, 505 as fits) and the connection is closed; they never reach a
 * handler.
 */
package io.katana.http;
