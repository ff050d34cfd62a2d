/** The conformance suite every Katana backend must pass, shipped as an ordinary jar. */
module io.katana.conformance {
    requires transitive io.katana.reactor;
    requires transitive org.junit.jupiter.api;
    requires org.junit.jupiter.params;
    requires org.junit.platform.launcher;

    exports io.katana.conformance;
    opens io.katana.conformance to org.junit.platform.commons;
}
