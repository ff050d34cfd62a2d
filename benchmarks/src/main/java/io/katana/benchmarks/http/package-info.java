/**
 * Microbenchmarks of the HTTP server's hot path (parse, route, handle, render), driven through its
 * public {@link io.katana.http.HttpServer#newConnectionHandler()} with a socket-less connection.
 */
package io.katana.benchmarks.http;
