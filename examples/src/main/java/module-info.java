/** Runnable Katana servers and the {@code katana} launcher. */
module io.katana.examples {
    requires transitive io.katana.reactor;
    requires io.katana.http;
    requires io.katana.tls;
    requires io.katana.conformance;
    requires org.slf4j;

    exports io.katana.examples;
}
