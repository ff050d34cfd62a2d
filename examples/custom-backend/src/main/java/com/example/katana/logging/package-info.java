/**
 * An example backend written outside Katana: it decorates the {@code nio} backend, found through
 * {@link io.katana.reactor.Reactors}, and logs each connection's open and close.
 */
package com.example.katana.logging;
