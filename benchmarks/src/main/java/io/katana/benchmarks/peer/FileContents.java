package io.katana.benchmarks.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The regular files directly in a folder, read into memory once: what the Netty peer serves under /files/. */
final class FileContents {
    private FileContents() {}

    /** {@return each regular file of {@code folder} by name; an unmodifiable map, safe to share} */
    static Map<String, byte[]> read(Path folder) throws IOException {
        Map<String, byte[]> contents = new HashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                contents.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        return Map.copyOf(contents);
    }
}
