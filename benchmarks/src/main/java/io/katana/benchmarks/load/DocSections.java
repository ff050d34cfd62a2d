package io.katana.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Replaces the harness's own sections of {@code docs/BENCHMARKS.md}, each between {@code <!-- begin
 * katana-bench:KEY -->} and {@code <!-- end katana-bench:KEY -->}, and leaves every other line of the
 * file as it was. A missing file is created; a missing section is appended under the "Load and
 * microbenchmarks" heading.
 */
final class DocSections {
    static final String HEADING = "## Load and microbenchmarks";

    private DocSections() {}

    static void replace(Path doc, String key, String title, String content) throws IOException {
        String begin = "<!-- begin katana-bench:" + key + " -->";
        String end = "<!-- end katana-bench:" + key + " -->";
        String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n";
        String block = begin + "\n" + content.strip() + "\n" + end;
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from >= 0 && to > from) {
            text = text.substring(0, from) + block + text.substring(to + end.length());
        } else {
            if (!text.contains(HEADING)) {
                text = text.stripTrailing() + "\n\n" + HEADING + "\n";
            }
            // The new section goes at the end of this heading's part, before the next "## " heading.
            int next = text.indexOf("\n## ", text.indexOf(HEADING) + HEADING.length());
            int at = next < 0 ? text.length() : next + 1;
            String head = text.substring(0, at).stripTrailing();
            String tail = text.substring(at);
            text = head + "\n\n### " + title + "\n\n" + block + "\n" + (tail.isEmpty() ? "" : "\n" + tail);
        }
        Files.createDirectories(doc.toAbsolutePath().getParent());
        Files.writeString(doc, text);
    }
}
