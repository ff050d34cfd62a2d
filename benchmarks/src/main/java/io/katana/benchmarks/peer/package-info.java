/**
 * Peer servers that the load harness measures side by side with Katana: a Netty 4.2 HTTP plaintext
 * server on Netty's native epoll and NIO transports. They live in the benchmarks module only; no
 * runtime module depends on Netty.
 */
package io.katana.benchmarks.peer;
