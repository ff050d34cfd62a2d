/**
 * Katana's {@code openssl} TLS engine: the system's {@code libssl.so.3} (OpenSSL 3.0 or newer) called
 * through the Foreign Function and Memory API, with no JNI and no native library of its own. {@link
 * io.katana.tls.TlsEngines} prefers it (priority 20, above {@code jdk}) wherever it is available: on
 * Linux, with OpenSSL 3 installed and native access granted to this module ({@code
 * --enable-native-access=io.katana.tls.openssl} on the module path, {@code ALL-UNNAMED} on the class
 * path). Elsewhere its availability says what is missing and {@code jdk} serves. {@code
 * -Dkatana.tls=jdk} forces the JDK's engine.
 *
 * @provides io.katana.tls.spi.TlsEngineProvider the {@code openssl} engine
 */
module io.katana.tls.openssl {
    requires io.katana.tls;
    requires org.slf4j;
    requires static com.google.auto.service;

    provides io.katana.tls.spi.TlsEngineProvider with io.katana.tls.openssl.OpenSslTlsEngineProvider;
}
