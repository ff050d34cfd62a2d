/**
 * Fuzz tests (Jazzer) of the request-head parser and the chunked decoder. They reach the internal
 * classes because tests run on the class path.
 */
package io.katana.http.fuzz;
