/**
 * Microbenchmarks of the HTTP server's hot path: the whole of it (parse, route, handle, render)
 * through its public {@link io.katana.http.HttpServer#newConnectionHandler()} with a socket-less
 * connection, and its parts alone: the request-head parser and the {@code Date} header cache.
 * Response rendering alone is measured in {@code io.katana.http.internal.ResponseRenderingBenchmark},
 * beside the package-private steps it calls.
 */
package io.katana.benchmarks.http;
