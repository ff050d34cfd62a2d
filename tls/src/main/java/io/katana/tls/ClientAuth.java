package io.katana.tls;

/** Whether a TLS server asks its clients for a certificate. Immutable. */
public enum ClientAuth {
    /** The server asks for no certificate. */
    NONE,
    /** The server asks for a certificate; a client without one is let in, a bad one is refused. */
    OPTIONAL,
    /** The server refuses a client that presents no trusted certificate. */
    REQUIRED
}
