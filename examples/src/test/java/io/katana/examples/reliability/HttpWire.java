package io.katana.examples.reliability;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The client side of HTTP/1.1 as the drills need it: requests written as raw bytes, responses read
 * strictly (Content-Length or chunked framing) from a blocking socket, so that a response cut short
 * is told apart from one that never started.
 *
 * <p><b>Threading:</b> static methods only; a socket is used by one thread at a time.
 */
final class HttpWire {
    /** A response read in full. */
    record Response(int status, boolean closes, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** The connection ended inside a response: the body (or head) is incomplete. */
    static final class TruncatedResponseException extends IOException {
        private static final long serialVersionUID = 1L;

        TruncatedResponseException(String message) {
            super(message);
        }
    }

    private HttpWire() {}

    static byte[] get(String target) {
        return ascii("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A loopback socket to {@code port} with a read timeout. */
    static Socket connect(int port, int readTimeoutMillis) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(readTimeoutMillis);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** One request on a fresh connection, its response read in full; the connection is then closed. */
    static Response exchange(int port, String target, int readTimeoutMillis) throws IOException {
        try (Socket socket = connect(port, readTimeoutMillis)) {
            socket.getOutputStream().write(get(target));
            Response response = read(new java.io.BufferedInputStream(socket.getInputStream()));
            if (response == null) {
                throw new EOFException("the server closed the connection without answering");
            }
            return response;
        }
    }

    /**
     * Reads one response.
     *
     * @return null when the stream ended before the response's first byte
     * @throws TruncatedResponseException when it ended inside the response
     */
    static Response read(InputStream in) throws IOException {
        String statusLine = line(in, true);
        if (statusLine == null) {
            return null;
        }
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long contentLength = -1;
        boolean chunked = false;
        boolean closes = false;
        String field;
        while (!(field = line(in, false)).isEmpty()) {
            int colon = field.indexOf(':');
            String name = field.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = field.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                case "connection" -> closes = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            while (true) {
                String size = line(in, false);
                int semicolon = size.indexOf(';');
                long length = Long.parseLong((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
                if (length == 0) {
                    while (!line(in, false).isEmpty()) {
                        // trailer fields: not needed
                    }
                    break;
                }
                copy(in, body, length);
                if (!line(in, false).isEmpty()) {
                    throw new IOException("chunk data longer than its size");
                }
            }
        } else if (contentLength > 0) {
            copy(in, body, contentLength);
        }
        return new Response(status, closes, body.toByteArray());
    }

    /** Whether the server closed the connection (end of stream or reset) within the socket's timeout. */
    static boolean closedByServer(Socket socket) {
        try {
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out, long length) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new TruncatedResponseException("the body ended after " + (length - left) + " of " + length + " bytes");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    /** A CRLF-terminated line; null only when {@code firstOfResponse} and the stream ended before any byte. */
    private static String line(InputStream in, boolean firstOfResponse) throws IOException {
        StringBuilder text = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (firstOfResponse && text.isEmpty()) {
                    return null;
                }
                throw new TruncatedResponseException("the response ended inside a line: " + text);
            }
            if (b == '\n') {
                int end = text.length();
                return end > 0 && text.charAt(end - 1) == '\r' ? text.substring(0, end - 1) : text.toString();
            }
            text.append((char) b);
            if (text.length() > 64 * 1024) {
                throw new IOException("a response line longer than 64 KiB");
            }
        }
    }
}
