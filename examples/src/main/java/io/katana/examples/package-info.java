/**
 * Runnable examples of Katana and the {@code katana} launcher ({@link io.katana.examples.Katana}):
 * the HTTP application behind {@code katana serve} ({@link io.katana.examples.ExampleApp}, which
 * tests also start in-process), a line echo server written directly on the reactor API, and a
 * small REST service with blocking handlers on virtual threads. The other classes are
 * package-private: read their source as examples rather than call them.
 */
package io.katana.examples;
