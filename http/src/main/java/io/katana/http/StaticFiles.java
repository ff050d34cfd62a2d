package io.katana.http;

import io.katana.http.internal.ByteRange;
import io.katana.http.internal.ClasspathResources;
import io.katana.http.internal.HttpDates;
import io.katana.http.internal.MimeTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Serves files: from a directory ({@link #directory}) or from the class path ({@link #classpath}),
 * mounted on a route whose last segment is {@code *}:
 *
 * <pre>{@code
 * HttpServer.builder().get("/files/*", StaticFiles.directory(Path.of("public")))
 * }</pre>
 *
 * <p>What it answers: {@code GET} and {@code HEAD} with {@code Content-Type} from the extension
 * ({@code charset=utf-8} on text), {@code Content-Length}, {@code Last-Modified}, a strong {@code
 * ETag} and {@code Accept-Ranges: bytes}; 304 to a matching {@code If-None-Match} or an {@code
 * If-Modified-Since} not older than the file; 412 to a failed {@code If-Match} or {@code
 * If-Unmodified-Since}; 206 with {@code Content-Range} to a single byte range (honouring {@code
 * If-Range}), 416 to one that lies past the end, and the whole file to several ranges (no {@code
 * multipart/byteranges}). A directory is answered with its {@code index.html}, or 404 without one;
 * asked without its trailing slash, it redirects (301) to it.
 *
 * <p>No request leaves the root: a path with a {@code .} or {@code ..} segment, a backslash, a NUL,
 * or an encoded slash ({@code %2F}) or backslash ({@code %5C}) is refused with 400 before the file
 * system is asked; a symbolic link is followed only when its target lies inside the root (else 404).
 *
 * <p>A directory's files leave through the connection's zero-copy path ({@link
 * HttpResponse#sendFile}); the directory's {@code ETag} is {@code "<mtime>-<size>"} in hex, as
 * nginx makes it. Class-path resources are read once and kept in memory when at most {@value
 * ClasspathResources#MAX_CACHED_BYTES} bytes (larger ones are read on each request); their {@code
 * ETag} is a hash of their bytes.
 *
 * <p><b>Threading:</b> immutable and safe to share by every connection. It runs on the reactor thread
 * and asks the file system there (a {@code stat} and an {@code open} per file, as nginx does); on a
 * file system that can stall (a network mount), wrap it with {@link HttpHandler#blocking}.
 */
public final class StaticFiles implements HttpHandler {
    private static final String INDEX = "index.html";

    private final Path root;
    private final ClasspathResources resources;

    private StaticFiles(Path root, ClasspathResources resources) {
        this.root = root;
        this.resources = resources;
    }

    /**
     * A handler for the files under {@code root}.
     *
     * @param root an existing directory; its real path (symbolic links resolved) is the boundary no
     *     request may cross
     * @return the handler
     * @throws IllegalArgumentException if {@code root} is not an existing directory
     */
    public static StaticFiles directory(Path root) {
        Objects.requireNonNull(root, "root");
        try {
            Path real = root.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new IllegalArgumentException("static files root " + root + " is not a directory");
            }
            return new StaticFiles(real, null);
        } catch (IOException e) {
            throw new IllegalArgumentException("static files root " + root + " cannot be used: " + e, e);
        }
    }

    /**
     * A handler for the resources under {@code prefix} on the class path of the context class loader
     * of the calling thread (or this library's loader when there is none).
     *
     * @param prefix the resource folder, such as {@code "public"} or {@code "/static/"}; slashes at
     *     either end are ignored
     * @return the handler
     */
    public static StaticFiles classpath(String prefix) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return classpath(prefix, loader != null ? loader : StaticFiles.class.getClassLoader());
    }

    /**
     * A handler for the resources under {@code prefix} of {@code loader}.
     *
     * @param prefix the resource folder; slashes at either end are ignored
     * @param loader where the resources are looked up
     * @return the handler
     */
    public static StaticFiles classpath(String prefix, ClassLoader loader) {
        return new StaticFiles(null, new ClasspathResources(prefix, loader));
    }

    @Override
    public void handle(HttpRequest request, HttpResponse response) throws IOException {
        HttpMethod method = request.method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            response.status(405).header("Allow", "GET, HEAD").send();
            return;
        }
        String rest = request.pathParam("*");
        if (rest == null) {
            rest = request.path(); // mounted on a path without '*': the whole path names the file
        }
        String relative = safeRelativePath(request.rawPath(), rest);
        if (relative == null) {
            response.status(400).send("the path names no file under this folder\n");
            return;
        }
        if (root != null) {
            serveFile(request, response, relative);
        } else {
            serveResource(request, response, relative);
        }
    }

    /**
     * The path below the mount point as segments joined with '/', or null when it could leave the root
     * or is malformed: dot segments, backslashes, NUL, and encoded slashes or backslashes (which the
     * decoded path no longer shows apart from real ones). An empty result names the root itself; a
     * trailing '/' is kept, to say that a directory was asked for.
     */
    private static String safeRelativePath(String rawPath, String decodedRest) {
        String raw = rawPath.toLowerCase(Locale.ROOT);
        if (raw.contains("%2f") || raw.contains("%5c") || raw.contains("%00")) {
            return null;
        }
        if (decodedRest.indexOf('\\') >= 0 || decodedRest.indexOf('\0') >= 0) {
            return null;
        }
        String[] segments = decodedRest.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.equals(".") || segment.equals("..")) {
                return null;
            }
            boolean first = i == 0;
            boolean last = i == segments.length - 1;
            if (segment.isEmpty() && !(last || (first && decodedRest.isEmpty()))) {
                return null; // "a//b" or a leading '/': not a path a link would produce
            }
        }
        return decodedRest;
    }

    private void serveFile(HttpRequest request, HttpResponse response, String relative) throws IOException {
        Found found;
        try {
            found = findInsideRoot(relative);
            if (found != null && found.attributes().isDirectory()) {
                if (!relative.isEmpty() && !relative.endsWith("/")) {
                    redirectToDirectory(request, response);
                    return;
                }
                found = findInsideRoot(relative.isEmpty() || relative.endsWith("/") ? relative + INDEX : relative + "/" + INDEX);
            }
        } catch (AccessDeniedException e) {
            response.status(403).send("forbidden\n");
            return;
        } catch (FileSystemException e) {
            // missing, a file used as a folder ("a.txt/b"), a loop of links: nothing to serve
            response.status(404).send("not found\n");
            return;
        }
        if (found == null || !found.attributes().isRegularFile()) {
            response.status(404).send("not found\n"); // null: a symbolic link that points out of the root
            return;
        }
        BasicFileAttributes attributes = found.attributes();
        long length = attributes.size();
        Instant modified = attributes.lastModifiedTime().toInstant();
        String etag = "\"" + Long.toHexString(modified.toEpochMilli() / 1000) + "-" + Long.toHexString(length) + "\"";
        Path body = found.path();
        serve(request, response, MimeTypes.forFileName(body.getFileName().toString()), length, modified, etag,
                (first, count) -> response.sendFile(body, first, count));
    }

    /** A path under the root with the attributes of what it names (never of a link: links are resolved). */
    private record Found(Path path, BasicFileAttributes attributes) {}

    /**
     * What {@code relative} names under the root, or null when it is reached through a symbolic link
     * whose target lies outside the root.
     *
     * <p>Why a walk of {@code lstat}s rather than {@code toRealPath} on every request: the root is
     * already a real path (resolved once in {@link #directory}) and {@code relative} has no dot
     * segments, so the request can leave the root only through a symbolic link on the way. One {@code
     * lstat} per segment (not following links) shows every link, and the last one is the {@code stat}
     * the response needs anyway: a file at the top of the root costs one system call, where {@code
     * toRealPath} cost one {@code readlink} per component of the whole absolute path (five in the
     * benchmark) and then the {@code stat}. Only when a segment is a link is the real path resolved
     * and checked, the rare case paying the old price. A cache keyed by the request path would save
     * the remaining {@code lstat}s but must be invalidated, and the one left is what nginx pays too.
     * As with {@code toRealPath}, a link swapped in between this check and the {@code open} that
     * sends the file is not seen: the guard is against links in the tree, not against a concurrent
     * writer of the root.
     */
    private Found findInsideRoot(String relative) throws IOException {
        Path path = root;
        BasicFileAttributes attributes = null;
        int start = 0;
        int length = relative.endsWith("/") ? relative.length() - 1 : relative.length();
        while (start < length) {
            int end = relative.indexOf('/', start);
            if (end < 0 || end > length) {
                end = length;
            }
            path = path.resolve(relative.substring(start, end));
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                Path real = root.resolve(relative.substring(0, length)).toRealPath();
                if (!real.startsWith(root)) {
                    return null;
                }
                return new Found(real, Files.readAttributes(real, BasicFileAttributes.class));
            }
            start = end + 1;
        }
        if (attributes == null) {
            attributes = Files.readAttributes(root, BasicFileAttributes.class);
        }
        return new Found(path, attributes);
    }

    private void serveResource(HttpRequest request, HttpResponse response, String relative) throws IOException {
        String name = relative.isEmpty() || relative.endsWith("/") ? relative + INDEX : relative;
        ClasspathResources.Resource resource = resources.find(name);
        if (resource == null && !relative.isEmpty() && !relative.endsWith("/") && resources.find(relative + "/" + INDEX) != null) {
            redirectToDirectory(request, response);
            return;
        }
        if (resource == null) {
            response.status(404).send("not found\n");
            return;
        }
        byte[] bytes = resource.bytes();
        serve(request, response, MimeTypes.forFileName(name), bytes.length, resource.lastModified(), resource.etag(),
                (first, count) -> response.send(ByteBuffer.wrap(bytes, (int) first, (int) count)));
    }

    private static void redirectToDirectory(HttpRequest request, HttpResponse response) {
        String query = request.rawQuery();
        response.status(301).header("Location", request.rawPath() + "/" + (query == null ? "" : "?" + query))
                .send("moved to the folder's own address, with a trailing slash\n");
    }

    /** How the body, or a part of it, is sent. */
    @FunctionalInterface
    private interface Body {
        void send(long first, long count) throws IOException;
    }

    /** Preconditions (RFC 9110 section 13.2.2, in its order), then Range, then the answer. */
    private static void serve(HttpRequest request, HttpResponse response, String contentType, long length,
            Instant modified, String etag, Body body) throws IOException {
        response.header("ETag", etag);
        if (modified != null) {
            response.header("Last-Modified", HttpDates.format(modified));
        }
        String ifMatch = request.header("If-Match");
        if (ifMatch != null ? !matches(ifMatch, etag, false) : notModifiedSince(request.header("If-Unmodified-Since"), modified) == Boolean.FALSE) {
            response.status(412).send();
            return;
        }
        String ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch != null ? matches(ifNoneMatch, etag, true) : notModifiedSince(request.header("If-Modified-Since"), modified) == Boolean.TRUE) {
            response.status(304).send();
            return;
        }
        response.header("Content-Type", contentType).header("Accept-Ranges", "bytes");
        ByteRange.Request asked = request.method() == HttpMethod.GET && rangeStillValid(request, etag, modified)
                ? ByteRange.parse(request.header("Range"), length)
                : new ByteRange.Whole();
        switch (asked) {
            case ByteRange.Satisfiable(ByteRange range) -> {
                response.status(206).header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + length);
                body.send(range.first(), range.length());
            }
            case ByteRange.Unsatisfiable() -> {
                response.status(416).header("Content-Range", "bytes */" + length).send();
            }
            case ByteRange.Whole() -> body.send(0, length);
        }
    }

    /**
     * Whether the representation was not modified after the date in {@code field}: null when there is
     * no usable date (no field, a malformed one, or no modification time), which disables the check.
     */
    private static Boolean notModifiedSince(String field, Instant modified) {
        Instant since = HttpDates.parse(field);
        if (since == null || modified == null) {
            return null;
        }
        return modified.getEpochSecond() <= since.getEpochSecond();
    }

    /** Whether an {@code If-Range} field, if any, still names this representation (RFC 9110 section 13.1.5). */
    private static boolean rangeStillValid(HttpRequest request, String etag, Instant modified) {
        String ifRange = request.header("If-Range");
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.strip();
        if (value.startsWith("\"")) {
            return value.equals(etag); // strong comparison
        }
        Instant date = HttpDates.parse(value);
        return date != null && modified != null && modified.getEpochSecond() == date.getEpochSecond();
    }

    /** Whether an entity-tag list ({@code *} or tags, weak or strong) names {@code etag}. */
    private static boolean matches(String list, String etag, boolean weakComparison) {
        for (String element : list.split(",")) {
            String tag = element.strip();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                if (!weakComparison) {
                    continue; // a weak tag never matches strongly
                }
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return root != null ? "StaticFiles.directory(" + root + ")" : "StaticFiles.classpath(" + resources + ")";
    }
}
