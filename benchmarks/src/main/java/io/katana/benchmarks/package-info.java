/**
 * JMH microbenchmarks of the reactor layer: the timer wheel, the cross-thread task queue and
 * {@code Reactor.execute}, and a loopback echo through each backend. Run them from the shaded jar
 * ({@code java -jar benchmarks/target/katana-benchmarks.jar -prof gc}) so that allocation per
 * operation is reported beside the time; {@code benchmarks/bench.sh} does it with the right flags.
 *
 * <p>Benchmarks that drive a reactor measure work the reactor thread does in batches, handed over in
 * one task and awaited by the JMH thread: the hand-off is paid once per batch, not once per operation.
 */
package io.katana.benchmarks;
