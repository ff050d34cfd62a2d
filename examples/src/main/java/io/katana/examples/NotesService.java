package io.katana.examples;

import io.katana.http.HttpHandler;
import io.katana.http.HttpRequest;
import io.katana.http.HttpResponse;
import io.katana.http.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small REST service: notes kept in memory and appended to a journal file.
 *
 * <pre>
 *   GET    /notes          all notes, as a JSON array
 *   POST   /notes          {"text": "..."} creates one: 201 and the note, with Location
 *   GET    /notes/{id}     one note, or 404
 *   PUT    /notes/{id}     {"text": "..."} replaces its text, or 404
 *   DELETE /notes/{id}     204, or 404
 * </pre>
 *
 * <p>Reads answer on the reactor thread. Writes append to the journal — real blocking file I/O —
 * so their handlers are {@linkplain HttpHandler#blocking blocking}: each runs on a virtual thread
 * while the reactor keeps serving. Bad JSON or a bad id is a 400 that says what was wrong.
 *
 * <p><b>Threading:</b> handlers run concurrently; the store is a concurrent map and the journal
 * is appended under a lock.
 */
final class NotesService {
    private static final String JSON = "application/json";

    private final Map<Long, String> notes = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Path journal;
    private final Object journalLock = new Object();

    NotesService(Path journal) {
        this.journal = journal;
    }

    /** Adds this service's routes to {@code builder}. */
    HttpServer.Builder routes(HttpServer.Builder builder) {
        return builder
                .get("/notes", this::list)
                .post("/notes", HttpHandler.blocking(this::create))
                .get("/notes/{id}", this::show)
                .put("/notes/{id}", HttpHandler.blocking(this::replace))
                .delete("/notes/{id}", HttpHandler.blocking(this::remove));
    }

    private void list(HttpRequest request, HttpResponse response) {
        StringJoiner array = new StringJoiner(",", "[", "]");
        notes.forEach((id, text) -> array.add(render(id, text)));
        response.header("Content-Type", JSON).send(array.toString());
    }

    private void show(HttpRequest request, HttpResponse response) {
        Long id = idOf(request, response);
        if (id == null) {
            return;
        }
        String text = notes.get(id);
        if (text == null) {
            notFound(response, id);
            return;
        }
        response.header("Content-Type", JSON).send(render(id, text));
    }

    private void create(HttpRequest request, HttpResponse response) {
        String text = textOf(request, response);
        if (text == null) {
            return;
        }
        long id = ids.incrementAndGet();
        append("create " + id + " " + FlatJson.quote(text));
        notes.put(id, text);
        response.status(201).header("Content-Type", JSON).header("Location", "/notes/" + id).send(render(id, text));
    }

    private void replace(HttpRequest request, HttpResponse response) {
        Long id = idOf(request, response);
        String text = id == null ? null : textOf(request, response);
        if (text == null) {
            return;
        }
        if (notes.replace(id, text) == null) {
            notFound(response, id);
            return;
        }
        append("replace " + id + " " + FlatJson.quote(text));
        response.header("Content-Type", JSON).send(render(id, text));
    }

    private void remove(HttpRequest request, HttpResponse response) {
        Long id = idOf(request, response);
        if (id == null) {
            return;
        }
        if (notes.remove(id) == null) {
            notFound(response, id);
            return;
        }
        append("delete " + id);
        response.status(204).send();
    }

    private static Long idOf(HttpRequest request, HttpResponse response) {
        String raw = request.pathParam("id");
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            problem(response, 400, "a note id is a whole number, not '" + raw + "'");
            return null;
        }
    }

    private static String textOf(HttpRequest request, HttpResponse response) {
        String type = request.header("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith(JSON)) {
            problem(response, 415, "send the note as Content-Type: application/json");
            return null;
        }
        try {
            String text = FlatJson.parseObject(request.bodyAsString()).get("text");
            if (text == null) {
                problem(response, 400, "the JSON object needs a \"text\" field");
            }
            return text;
        } catch (IllegalArgumentException e) {
            problem(response, 400, e.getMessage());
            return null;
        }
    }

    private static void notFound(HttpResponse response, long id) {
        problem(response, 404, "no note " + id);
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
