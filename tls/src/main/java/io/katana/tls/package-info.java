/**
 * TLS for Katana connections: {@link io.katana.tls.TlsServer} wraps the handlers of a listener,
 * {@link io.katana.tls.TlsClient} secures an outgoing connection, both configured from PEM files
 * ({@link io.katana.tls.TlsServerConfig}, {@link io.katana.tls.TlsClientConfig}). The wrapped handler
 * sees plaintext, backpressure and half-close as on a plain connection; its connection is a {@link
 * io.katana.tls.TlsConnection} that also tells the negotiated protocol, ALPN and SNI name.
 */
package io.katana.tls;
