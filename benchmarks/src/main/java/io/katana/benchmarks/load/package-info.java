/**
 * The report side of the load harness ({@code benchmarks/bench.sh}): it reads the raw runs the script
 * recorded, reduces each figure to a median with its spread, and writes markdown tables in the seed
 * profile's shape, ratios to Netty epoll and nginx, an SVG chart, and the JMH results into {@code
 * docs/BENCHMARKS.md}. Nothing here measures; it only reports what the script measured.
 */
package io.katana.benchmarks.load;
