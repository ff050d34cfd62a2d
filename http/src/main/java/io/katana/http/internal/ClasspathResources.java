package io.katana.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * The resources under one folder of a class loader, as the static-file handler serves them: whole
 * regular files only (a folder's URL is never read, since it would list the folder), kept in memory
 * once read when small enough. Missing names are not remembered, so random paths cannot grow the
 * cache.
 *
 * <p><b>Threading:</b> safe to share; the cache is concurrent and a resource read twice at once is
 * merely read twice.
 */
public final class ClasspathResources {

    /** Resources up to this size are kept in memory after the first request. */
    public static final int MAX_CACHED_BYTES = 1024 * 1024;

    private final String prefix;
    private final ClassLoader loader;
    private final Map<String, Resource> cache = new ConcurrentHashMap<>();

    /**
     * One resource's bytes and validators.
     *
     * @param bytes the content
     * @param etag a strong entity tag: the content's CRC-32C and length
     * @param lastModified when the resource last changed, or null when the class loader cannot say
     */
    public record Resource(byte[] bytes, String etag, Instant lastModified) {}

    /**
     * @param prefix the folder; slashes at either end are ignored
     * @param loader where resources are looked up
     */
    public ClasspathResources(String prefix, ClassLoader loader) {
        String trimmed = Objects.requireNonNull(prefix, "prefix").strip();
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        this.prefix = trimmed.isEmpty() ? "" : trimmed + "/";
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /**
     * {@return the resource {@code name} under the folder, or null when there is no such regular file}
     *
     * @param name a path already checked to stay inside the folder (no dot segments)
     * @throws IOException if the resource exists but cannot be read
     */
    public Resource find(String name) throws IOException {
        Resource cached = cache.get(name);
        if (cached != null) {
            return cached;
        }
        URL url = loader.getResource(prefix + name);
        if (url == null) {
            return null;
        }
        URLConnection connection = url.openConnection();
        if (isFolder(url, connection)) {
            return null;
        }
        byte[] bytes;
        try (InputStream in = connection.getInputStream()) {
            bytes = in.readAllBytes();
        }
        long modified = connection.getLastModified();
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        Resource resource = new Resource(bytes,
                "\"" + HexFormat.of().toHexDigits((int) crc.getValue()) + "-" + Long.toHexString(bytes.length) + "\"",
                modified > 0 ? Instant.ofEpochMilli(modified) : null);
        if (bytes.length <= MAX_CACHED_BYTES) {
            cache.put(name, resource);
        }
        return resource;
    }

    private static boolean isFolder(URL url, URLConnection connection) throws IOException {
        if (connection instanceof JarURLConnection jar) {
            return jar.getJarEntry() == null || jar.getJarEntry().isDirectory();
        }
        if (url.getProtocol().equals("file")) {
            try {
                return !Files.isRegularFile(Path.of(url.toURI()));
            } catch (URISyntaxException | IllegalArgumentException e) {
                return true;
            }
        }
        return url.getPath().endsWith("/");
    }

    @Override
    public String toString() {
        return prefix.isEmpty() ? "/" : prefix;
    }
}
