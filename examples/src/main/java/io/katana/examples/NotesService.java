package io.katana.examples;

import io.katana.http.AccessLogFormat;
import io.katana.http.Cookie;
import io.katana.http.Gzip;
import io.katana.http.HttpHandler;
import io.katana.http.HttpMethod;
import io.katana.http.HttpRequest;
import io.katana.http.HttpResponse;
import io.katana.http.HttpServer;
import io.katana.http.HttpStatusException;
import io.katana.http.MultipartReader;
import io.katana.http.Part;
import io.katana.http.RouteOptions;
import io.katana.http.StaticFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small REST service, the one the README's "Writing an HTTP service" shows: notes kept in memory
 * and appended to a journal file, written only by a signed-in user.
 *
 * <pre>
 *   POST   /session        form {@code user=NAME}: signs in, sets the {@code session} cookie (204)
 *   GET    /notes          all notes, as a JSON array
 *   GET    /notes/{id}     one note, or 404
 *   POST   /notes          {"text": "..."} creates one: 201 and the note, with Location
 *   PUT    /notes/{id}     {"text": "..."} replaces its text, or 404
 *   DELETE /notes/{id}     204, or 404
 *   POST   /notes/import   multipart/form-data upload: every line of every file part becomes a note,
 *                          read as it arrives (an upload of any size passes through a few buffers)
 *   GET    /files/...      the files of a folder, when one is given
 * </pre>
 *
 * <p>What it shows: a before-filter that tags every answer (errors too) with {@code X-Request-Id}; a
 * group filter that lets only signed-in users write; one exception handler that turns every {@link
 * HttpStatusException} into a JSON problem, and error handlers that do the same for the server's own
 * 404 and 405; a cookie; a form; a streamed upload with its own body limit; static files; gzip.
 *
 * <p>Reads answer on the reactor thread. Writes append to the journal — real blocking file I/O — so
 * their handlers are {@linkplain HttpHandler#blocking blocking}: each runs on a virtual thread while
 * the reactor keeps serving.
 *
 * <p><b>Threading:</b> handlers run concurrently; the store and the sessions are concurrent maps and
 * the journal is appended under a lock.
 */
final class NotesService {
    static final String SESSION_COOKIE = "session";
    /** The largest upload {@code /notes/import} takes; the server's default for other routes is 10 MiB. */
    static final long MAX_IMPORT_BYTES = 1L << 30;

    private static final String JSON = "application/json";
    private static final int MAX_NOTE_CHARS = 4096;

    private final Map<Long, String> notes = new ConcurrentSkipListMap<>();
    private final Map<String, String> usersBySession = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private final Path journal;
    private final Path files;
    private final Object journalLock = new Object();

    /**
     * @param journal the file every write is appended to
     * @param files a folder to serve under {@code /files/}, or null for none
     */
    NotesService(Path journal, Path files) {
        this.journal = journal;
        this.files = files;
    }

    NotesService(Path journal) {
        this(journal, null);
    }

    /** Adds this service's filters, error handlers and routes to {@code builder}. */
    HttpServer.Builder routes(HttpServer.Builder builder) {
        builder.before((request, response) -> response.header("X-Request-Id", Long.toString(requests.incrementAndGet())))
                .exception(HttpStatusException.class, (problem, request, response) ->
                        problem(response, problem.status(), problem.getMessage()))
                .error(404, (request, response) -> problem(response, 404, "no route for " + request.path()))
                .error(405, (request, response) ->
                        problem(response, 405, request.method() + " is not allowed here; see the Allow header"))
                .gzip(Gzip.defaults())
                .accessLog(AccessLogFormat.COMMON)
                .post("/session", this::signIn)
                .group("/notes", notes -> notes
                        .filter((request, response, next) -> {
                            if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
                                userOf(request);
                            }
                            next.handle(request, response);
                        })
                        .get("/", this::list)
                        .post("/", HttpHandler.blocking(this::create))
                        .get("/{id}", this::show)
                        .put("/{id}", HttpHandler.blocking(this::replace))
                        .delete("/{id}", HttpHandler.blocking(this::remove))
                        .route(HttpMethod.POST, "/import", RouteOptions.DEFAULT.withMaxBodyBytes(MAX_IMPORT_BYTES),
                                HttpHandler.blocking(HttpHandler.streaming(this::importNotes))));
        if (files != null) {
            builder.get("/files/*", StaticFiles.directory(files));
        }
        return builder;
    }

    private void signIn(HttpRequest request, HttpResponse response) {
        String user = request.formParam("user");
        if (user == null || user.isBlank()) {
            throw new HttpStatusException(400, "send the form field user=NAME (application/x-www-form-urlencoded)");
        }
        byte[] token = new byte[16];
        random.nextBytes(token);
        String session = HexFormat.of().formatHex(token);
        usersBySession.put(session, user.strip());
        response.cookie(Cookie.builder(SESSION_COOKIE, session).path("/").httpOnly()
                        .sameSite(Cookie.SameSite.LAX).maxAge(Duration.ofHours(8)).build())
                .status(204).send();
    }

    /** The signed-in user of {@code request}; a 401 when there is none. */
    private String userOf(HttpRequest request) {
        String session = request.cookie(SESSION_COOKIE);
        String user = session == null ? null : usersBySession.get(session);
        if (user == null) {
            throw new HttpStatusException(401, "sign in first: POST /session with the form field user=NAME");
        }
        return user;
    }

    private void list(HttpRequest request, HttpResponse response) {
        StringJoiner array = new StringJoiner(",", "[", "]");
        notes.forEach((id, text) -> array.add(render(id, text)));
        response.header("Content-Type", JSON).send(array.toString());
    }

    private void show(HttpRequest request, HttpResponse response) {
        long id = idOf(request);
        response.header("Content-Type", JSON).send(render(id, textOf(id)));
    }

    private void create(HttpRequest request, HttpResponse response) {
        long id = add(noteOf(request));
        response.status(201).header("Content-Type", JSON).header("Location", "/notes/" + id)
                .send(render(id, notes.get(id)));
    }

    private void replace(HttpRequest request, HttpResponse response) {
        long id = idOf(request);
        String text = noteOf(request);
        if (notes.replace(id, text) == null) {
            throw noSuchNote(id);
        }
        append("replace " + id + " " + FlatJson.quote(text));
        response.header("Content-Type", JSON).send(render(id, text));
    }

    private void remove(HttpRequest request, HttpResponse response) {
        long id = idOf(request);
        if (notes.remove(id) == null) {
            throw noSuchNote(id);
        }
        append("delete " + id);
        response.status(204).send();
    }

    /** Streams the upload: nothing holds more than a line of it. */
    private void importNotes(HttpRequest request, HttpResponse response) throws IOException {
        MultipartReader parts = request.multipart();
        long created = 0;
        for (Part part = parts.next(); part != null; part = parts.next()) {
            if (part.filename() == null) {
                continue;
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(part.inputStream(), StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank()) {
                    add(checkedNote(line.strip()));
                    created++;
                }
            }
        }
        response.status(201).header("Content-Type", JSON).send("{\"created\":" + created + "}");
    }

    private long add(String text) {
        long id = ids.incrementAndGet();
        append("create " + id + " " + FlatJson.quote(text));
        notes.put(id, text);
        return id;
    }

    private String textOf(long id) {
        String text = notes.get(id);
        if (text == null) {
            throw noSuchNote(id);
        }
        return text;
    }

    private static long idOf(HttpRequest request) {
        String raw = request.pathParam("id");
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new HttpStatusException(400, "a note id is a whole number, not '" + raw + "'");
        }
    }

    private static String noteOf(HttpRequest request) {
        String type = request.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(JSON)) {
            throw new HttpStatusException(415, "send the note as Content-Type: application/json");
        }
        String text;
        try {
            text = FlatJson.parseObject(request.bodyAsString()).get("text");
        } catch (IllegalArgumentException e) {
            throw new HttpStatusException(400, e.getMessage());
        }
        if (text == null) {
            throw new HttpStatusException(400, "the JSON object needs a \"text\" field");
        }
        return checkedNote(text);
    }

    private static String checkedNote(String text) {
        if (text.length() > MAX_NOTE_CHARS) {
            throw new HttpStatusException(400, "a note holds at most " + MAX_NOTE_CHARS + " characters, not " + text.length());
        }
        return text;
    }

    private static HttpStatusException noSuchNote(long id) {
        return new HttpStatusException(404, "no note " + id);
    }

    private static void problem(HttpResponse response, int status, String message) {
        response.status(status).header("Content-Type", JSON).send("{\"error\":" + FlatJson.quote(message) + "}");
    }

    private static String render(long id, String text) {
        return "{\"id\":" + id + ",\"text\":" + FlatJson.quote(text) + "}";
    }

    private void append(String line) {
        synchronized (journalLock) {
            try {
                Files.writeString(journal, line + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to the journal " + journal, e);
            }
        }
    }
}
