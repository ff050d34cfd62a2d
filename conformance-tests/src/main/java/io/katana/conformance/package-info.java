/**
 * The shared conformance suite for Katana reactor backends.
 *
 * <p>A backend's test module extends {@link io.katana.conformance.ConformanceSuite} with one class
 * that names its {@link io.katana.reactor.spi.ReactorProvider}, and inherits every check as an
 * ordinary JUnit test. {@link io.katana.conformance.ConformanceRunner} runs the same checks from the
 * command line for every backend found, alone and in mixed server/client pairs. The checks use only
 * the public reactor API, with plain blocking {@code java.net} sockets as the peer where a raw peer
 * is needed, and only ever talk to sockets they opened on the loopback interface.
 */
package io.katana.conformance;
