/**
 * The conformance suite every Katana reactor backend must pass, shipped as an ordinary jar: extend
 * {@link io.katana.conformance.ConformanceSuite} in one small test class, or run {@link
 * io.katana.conformance.ConformanceRunner} from the command line. A TLS engine extends {@link
 * io.katana.conformance.TlsConformanceSuite}.
 */
module io.katana.conformance {
    requires transitive io.katana.reactor;
    requires transitive io.katana.tls;
    requires transitive org.junit.jupiter.api;
    requires org.junit.platform.launcher;
    requires org.assertj.core;
    requires java.management;

    exports io.katana.conformance;
    opens io.katana.conformance to org.junit.platform.commons;
}
