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
 *
 * <p>With {@link #commitLater} it is a bot that answers one thought once (RAPIDFIRE_ON_NEW_MESSAGE=supersede): a
 * batch with a {@code commitUrl} is taken with {@code 202 Rapidfire-Commit: later}, then the bot "thinks" (200 to
 * 1,200 ms), asks the commit URL and answers the person only on 200 ({@link #committed()}); on 409 it drops the
 * answer ({@link #dropped()}). A refused or failed commit (425, 5xx, the API down) is asked again, for up to a minute.
 * A batch marked {@code "handover": true}, or whose commit says a human has the chat, is only recorded for the human
 * ({@link #recorded()}): the bot has it and answers nothing.
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
    private volatile String commitSecret;
    private final List<String> committed = new ArrayList<>();
    private final List<String> recorded = new ArrayList<>();
    private final java.util.Map<String, String> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
    private final java.net.http.HttpClient commits = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(java.time.Duration.ofSeconds(2)).build();

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

    /** From now on, commit before answering, with the sink's secret (see the class comment). */
    public void commitLater(String sinkSecret) {
        commitSecret = sinkSecret;
    }

    /** The batches the bot answered: their commit was 200. */
    public synchronized List<String> committed() {
        return new ArrayList<>(committed);
    }

    /** The batches recorded for a human (marked handover, or their commit said a human has the chat). */
    public synchronized List<String> recorded() {
        return new ArrayList<>(recorded);
    }

    /** Answers dropped: the commit said 409 (the person wrote again; the whole thought comes in a later batch). */
    public long dropped() {
        return dropped.get();
    }

    private void commit(String body) {
        String url;
        try {
            com.fasterxml.jackson.databind.JsonNode b = io.rapidfire.core.MessageCodec.JSON.readTree(body);
            if (b.path("handover").asBoolean(false)) {
                synchronized (this) {
                    recorded.add(body); // for the human: nothing to answer, nothing to commit
                }
                return;
            }
            url = b.path("commitUrl").asText("");
        } catch (IOException e) {
            return;
        }
        LockSupport.parkNanos((200 + (long) (Math.random() * 1_000)) * 1_000_000L); // the LLM thinks
        long giveUpAt = System.currentTimeMillis() + 60_000;
        while (!closed && System.currentTimeMillis() < giveUpAt) {
            long waitMs = 300;
            try {
                java.net.http.HttpResponse<String> r = commits.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(url)).timeout(java.time.Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + commitSecret)
                        .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    synchronized (this) {
                        committed.add(body);
                    }
                    outcomes.put(batchId(body), "200");
                    return;
                }
                if (r.statusCode() == 409 && r.body().contains("\"handover\":true")) {
                    synchronized (this) {
                        recorded.add(body); // a human took the chat while the bot thought: theirs
                        outcomes.put(batchId(body), "409 handed over");
                    }
                    return;
                }
                if (r.statusCode() == 409 || r.statusCode() == 404) {
                    dropped.incrementAndGet();
                    outcomes.put(batchId(body), r.statusCode() + " " + r.body());
                    return;
                }
                outcomes.put(batchId(body), r.statusCode() + " (asking again)");
                if (r.statusCode() == 425) {
                    waitMs = 1_000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1"));
                }
            } catch (IOException | RuntimeException e) {
                outcomes.put(batchId(body), e.toString() + " (asking again)"); // the API is down or the network cut
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            LockSupport.parkNanos(waitMs * 1_000_000);
        }
        outcomes.merge(batchId(body), " (gave up after a minute)", String::concat);
    }

    /** The last answer to each batch's commit (for a ledger's examples). */
    public String commitOutcome(String batchId) {
        return outcomes.getOrDefault(batchId, "no commit asked");
    }

    private static String batchId(String body) {
        int i = body.indexOf("\"batchId\":\"");
        return i < 0 ? "?" : body.substring(i + 11, body.indexOf('"', i + 11));
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
            if (m == Mode.OK && commitSecret != null && body.contains("\"commitUrl\"")) {
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 202 Accepted\r\nRapidfire-Commit: later\r\nContent-Length: 0\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                connections.execute(() -> commit(body));
                return;
            }
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
