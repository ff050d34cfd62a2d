package io.katana.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A blocking HTTP/1.1 client on a plain socket that sends exactly the bytes it is given and parses
 * responses strictly, so tests see what the server really put on the wire.
 */
final class RawHttpClient implements AutoCloseable {

    /** One parsed response. */
    record Response(int status, String statusLine, List<String[]> headers, byte[] body) {

        String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    values.add(h[1]);
                }
            }
            return values;
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttpClient(int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(15_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    Socket socket() {
        return socket;
    }

    RawHttpClient send(String raw) throws IOException {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttpClient send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    /** Sends a request and reads its response. */
    Response exchange(String raw) throws IOException {
        send(raw);
        return read(raw.startsWith("HEAD "));
    }

    Response read() throws IOException {
        return read(false);
    }

    /** Reads one final response (skipping none: a 1xx is returned as it is). */
    Response read(boolean toHead) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        if (!statusLine.startsWith("HTTP/1.1 ")) {
            throw new IOException("not a status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        List<String[]> headers = new ArrayList<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1).strip()});
        }
        Response head = new Response(status, statusLine, headers, new byte[0]);
        if (toHead || status < 200 || status == 204 || status == 304) {
            return head;
        }
        String te = head.header("Transfer-Encoding");
        String cl = head.header("Content-Length");
        byte[] body;
        if (te != null) {
            if (!te.toLowerCase(Locale.ROOT).equals("chunked")) {
                throw new IOException("unexpected Transfer-Encoding " + te);
            }
            ByteArrayOutputStream collected = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = line();
                if (sizeLine == null) {
                    // A cut before the last chunk: the peer's FIN or reset came first, depending on timing.
                    throw new java.io.EOFException("the chunked body ended before its last chunk");
                }
                int size = Integer.parseInt(sizeLine, 16);
                if (size == 0) {
                    if (!line().isEmpty()) {
                        throw new IOException("trailers not expected");
                    }
                    break;
                }
                collected.write(exactly(size));
                if (!line().isEmpty()) {
                    throw new IOException("chunk not followed by CRLF");
                }
            }
            body = collected.toByteArray();
        } else if (cl != null) {
            body = exactly(Integer.parseInt(cl));
        } else {
            body = in.readAllBytes(); // delimited by the close (HTTP/1.0 streaming)
        }
        return new Response(status, statusLine, headers, body);
    }

    /** Whether the server closed (or reset) the connection; fails if data or nothing arrives instead. */
    boolean serverClosed() throws IOException {
        try {
            int b = in.read();
            if (b >= 0) {
                throw new IOException("expected the connection to be closed, got byte " + b);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    byte[] exactly(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw new IOException("connection closed after " + bytes.length + " of " + n + " body bytes");
        }
        return bytes;
    }

    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.ISO_8859_1);
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("CR without LF from the server");
                }
                return bytes.toString(StandardCharsets.ISO_8859_1);
            }
            if (b == '\n') {
                throw new IOException("bare LF from the server");
            }
            bytes.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
