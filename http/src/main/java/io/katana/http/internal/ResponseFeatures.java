package io.katana.http.internal;

import io.katana.http.Gzip;
import io.katana.http.HttpHandler;

/**
 * What a route's responses pass through on their way out: its after-filters (server's, then its
 * groups'), gzip, and the access log.
 *
 * <p><b>Threading:</b> immutable; safe to share between threads.
 *
 * @param afters the after-filters, in the order they run; may be empty
 * @param gzip the compression settings, or null for none
 * @param accessLog the access log, or null when it is off
 */
record ResponseFeatures(HttpHandler[] afters, Gzip gzip, AccessLog accessLog) {}
