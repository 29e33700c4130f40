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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * A bot endpoint on a raw socket, for faults an HTTP server library will not produce. It reads each whole
 * request, records its body, and answers as its {@link Mode} says: 200; 503; 200 after a delay; or a 200 that
 * breaks off (status line, headers, part of the body, then the connection closes). One thread per connection.
 */
public final class RawBot implements AutoCloseable {
    public enum Mode { OK, UNAVAILABLE, SLOW, BREAK_MID_ANSWER }

    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "raw-bot-connection");
        t.setDaemon(true);
        return t;
    });
    private final List<String> bodies = new ArrayList<>();
    private volatile Mode mode = Mode.OK;
    private volatile long slowMs = 3_000;
    private volatile boolean closed;

    public RawBot() {
        try {
            server = new ServerSocket(0, 1_024, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread t = new Thread(this::accept, "raw-bot");
        t.setDaemon(true);
        t.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/batches";
    }

    public void mode(Mode m) {
        mode = m;
    }

    public void slowMs(long ms) {
        slowMs = ms;
    }

    public void breakMidResponse(boolean on) {
        mode = on ? Mode.BREAK_MID_ANSWER : Mode.OK;
    }

    public synchronized List<String> bodies() {
        return new ArrayList<>(bodies);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                connections.execute(() -> serve(s));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            String body = readRequest(s.getInputStream());
            synchronized (this) {
                bodies.add(body);
            }
            Mode m = mode;
            if (m == Mode.SLOW) {
                LockSupport.parkNanos(slowMs * 1_000_000);
            }
            String answer = switch (m) {
                case BREAK_MID_ANSWER -> "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"ok\"";
                case UNAVAILABLE -> "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 15\r\n"
                        + "Connection: close\r\n\r\n{\"busy\":true}  ";
                default -> "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n"
                        + "Connection: close\r\n\r\n{\"ok\":true}";
            };
            OutputStream out = s.getOutputStream();
            out.write(answer.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // the worker gave up on this connection (its timeout) or the proxy cut it
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
        connections.shutdownNow();
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
