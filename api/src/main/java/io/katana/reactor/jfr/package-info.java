/**
 * JDK Flight Recorder events of the reactors. They cost nothing measurable unless a recording
 * enables them: {@code java -XX:StartFlightRecording:filename=katana.jfr ...}, then {@code jfr print
 * --events io.katana.* katana.jfr}.
 */
package io.katana.reactor.jfr;
