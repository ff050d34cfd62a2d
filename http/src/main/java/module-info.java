/** Katana's HTTP/1.1 server, written only against the reactor API. */
module io.katana.http {
    requires transitive io.katana.reactor;
    requires transitive io.katana.tls;
    requires org.slf4j;
    requires jdk.jfr;

    exports io.katana.http;
}
