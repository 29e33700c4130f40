package io.rapidfire.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A bot endpoint on a raw socket, for faults an HTTP server library will not produce: while {@link #breakMidResponse}
 * is on it reads the whole request, starts a 200 answer (status line, headers, part of the body) and closes the
 * connection. Otherwise it answers 200 properly. Records every request body it read.
 */
public final class RawBot implements AutoCloseable {
    private final ServerSocket server;
    private final List<String> bodies = new ArrayList<>();
    private volatile boolean broken;
    private volatile boolean closed;

    public RawBot() {
        try {
            server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread t = new Thread(this::serve, "raw-bot");
        t.setDaemon(true);
        t.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/batches";
    }

    public void breakMidResponse(boolean on) {
        broken = on;
    }

    public synchronized List<String> bodies() {
        return new ArrayList<>(bodies);
    }

    private void serve() {
        while (!closed) {
            try (Socket s = server.accept()) {
                String body = readRequest(s.getInputStream());
                synchronized (this) {
                    bodies.add(body);
                }
                OutputStream out = s.getOutputStream();
                if (broken) {
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"ok\"")
                            .getBytes(StandardCharsets.US_ASCII));
                } else {
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n"
                            + "Connection: close\r\n\r\n{\"ok\":true}").getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended in its headers");
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
