/**
 * The server's machinery, not exported: the in-place request parser and chunked decoder, the router,
 * the response encoder, and the per-connection state machine ({@link
 * io.katana.http.internal.HttpConnection}).
 */
package io.katana.http.internal;
