/**
 * What a TLS engine implements: {@link io.katana.tls.spi.TlsEngineProvider}, found with {@link
 * java.util.ServiceLoader}, makes {@link io.katana.tls.spi.TlsContext}s that make one {@link
 * javax.net.ssl.SSLEngine} per connection. The layer drives that engine; the engine never sees a socket.
 */
package io.katana.tls.spi;
