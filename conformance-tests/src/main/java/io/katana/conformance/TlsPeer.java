package io.katana.conformance;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * A blocking TLS peer driven by hand over a plain socket, so that a check decides how its records are
 * cut: sent {@code split} bytes per write with a pause between, which makes the other side read every
 * record in pieces. Also able to stop mid-handshake or close without {@code close_notify}. One thread
 * uses it.
 */
final class TlsPeer {
    private final Socket socket;
    private final SSLEngine engine;
    private final int split;
    private final InputStream in;
    private final OutputStream out;
    private final ByteBuffer netIn = ByteBuffer.allocate(64 * 1024).flip();
    private final ByteBuffer netOut;
    private final ByteBuffer appIn;

    TlsPeer(Socket socket, SSLEngine engine, int split) throws IOException {
        this.socket = socket;
        this.engine = engine;
        this.split = split;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() * 2);
    }

    /** Runs the handshake to its end. */
    void handshake() throws IOException {
        engine.beginHandshake();
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> wrapAndSend(ByteBuffer.allocate(0));
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrapOnce();
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                case FINISHED, NOT_HANDSHAKING -> {
                    return;
                }
            }
        }
    }

    /** {@return the first record the engine sends (a ClientHello for a client), not sent} */
    byte[] firstRecord() throws SSLException {
        engine.beginHandshake();
        netOut.clear();
        engine.wrap(ByteBuffer.allocate(0), netOut);
        netOut.flip();
        byte[] record = new byte[netOut.remaining()];
        netOut.get(record);
        return record;
    }

    void send(byte[] plaintext) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(plaintext);
        while (src.hasRemaining()) {
            wrapAndSend(src);
        }
    }

    /** {@return exactly {@code length} bytes of plaintext} */
    byte[] receive(int length) throws IOException {
        while (appIn.position() < length) {
            unwrapOnce();
            if (engine.isInboundDone()) {
                throw new EOFException("close_notify after " + appIn.position() + " of " + length + " bytes");
            }
        }
        appIn.flip();
        byte[] bytes = new byte[length];
        appIn.get(bytes);
        appIn.compact();
        return bytes;
    }

    /** Sends close_notify. */
    void closeOutbound() throws IOException {
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
            wrapAndSend(ByteBuffer.allocate(0));
        }
    }

    private void wrapAndSend(ByteBuffer src) throws IOException {
        netOut.clear();
        SSLEngineResult result = engine.wrap(src, netOut);
        if (result.getStatus() != SSLEngineResult.Status.OK && result.getStatus() != SSLEngineResult.Status.CLOSED) {
            throw new SSLException("peer wrap: " + result);
        }
        netOut.flip();
        while (netOut.hasRemaining()) {
            int n = Math.min(split, netOut.remaining());
            out.write(netOut.array(), netOut.position(), n);
            out.flush();
            netOut.position(netOut.position() + n);
            if (split < 64) {
                LockSupport.parkNanos(100_000); // let the other side read this piece alone
            }
        }
    }

    private void unwrapOnce() throws IOException {
        while (true) {
            SSLEngineResult result = engine.unwrap(netIn, appIn);
            switch (result.getStatus()) {
                case OK, CLOSED -> {
                    return;
                }
                case BUFFER_OVERFLOW -> throw new SSLException("peer: plaintext overflow");
                case BUFFER_UNDERFLOW -> {
                    netIn.compact();
                    int n = in.read(netIn.array(), netIn.position(), netIn.remaining());
                    if (n < 0) {
                        throw new EOFException("the other side closed the TCP connection");
                    }
                    netIn.position(netIn.position() + n);
                    netIn.flip();
                }
            }
        }
    }

    Socket socket() {
        return socket;
    }
}
