/** JMH benchmarks of the TLS engines through the SPI the TLS layer uses: handshakes and records in memory. */
package io.katana.benchmarks.tls;
