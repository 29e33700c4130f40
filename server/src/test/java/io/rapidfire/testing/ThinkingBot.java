package io.rapidfire.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.MessageCodec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToLongFunction;

/**
 * A bot stand-in that thinks like an LLM before it answers (one answer per thought): for each batch it waits
 * {@code think} ms, watching the connection, then asks Rapidfire's {@code commitUrl} and answers only on 200. A raw
 * socket, so it sees what a real bot sees when Rapidfire gives up on a superseded delivery: the client goes away
 * mid-request (read returns end of stream). In {@code later} mode it answers 202 with {@code Rapidfire-Commit: later}
 * at once and thinks and commits afterwards.
 */
public final class ThinkingBot implements AutoCloseable {
    /** What the bot did with one batch: answered (commit 200), dropped (409/404), or saw its request aborted. */
    public record Outcome(String kind, String batchId, JsonNode batch, long receivedAtMs, long atMs, int commitStatus) {
        public List<String> messageIds() {
            List<String> ids = new ArrayList<>();
            batch.path("messages").forEach(m -> ids.add(m.path("id").asText()));
            return ids;
        }
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "thinking-bot");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ToLongFunction<JsonNode> think;
    private final String secret;
    private final boolean later;
    private final ConcurrentLinkedQueue<JsonNode> received = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final java.util.Set<String> answeredIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.function.Consumer<Outcome> listener;
    private volatile boolean closed;

    public ThinkingBot(ToLongFunction<JsonNode> think, String secret, boolean later) {
        this(think, secret, later, o -> {
        });
    }

    /**
     * @param think  how long the "LLM" takes for a batch, ms
     * @param secret the sink secret to commit with ("" when Rapidfire has none and the bot is on loopback)
     * @param later  answer 202 + Rapidfire-Commit: later at once, think and commit afterwards
     * @param listener sees each outcome as it happens (the replay's people read the answer)
     */
    public ThinkingBot(ToLongFunction<JsonNode> think, String secret, boolean later,
                       java.util.function.Consumer<Outcome> listener) {
        this.listener = listener;
        this.think = think;
        this.secret = secret;
        this.later = later;
        try {
            server = new ServerSocket(0, 1_024, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        threads.execute(this::accept);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/batches";
    }

    public List<JsonNode> received() {
        return new ArrayList<>(received);
    }

    public List<Outcome> outcomes() {
        return new ArrayList<>(outcomes);
    }

    public List<Outcome> outcomes(String kind) {
        return outcomes.stream().filter(o -> o.kind().equals(kind)).toList();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                threads.execute(() -> serve(s));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (!closed) {
                byte[] body = readRequest(in);
                if (body == null) {
                    return;
                }
                JsonNode batch = MessageCodec.JSON.readTree(body);
                long receivedAt = System.currentTimeMillis();
                received.add(batch);
                long ms = think.applyAsLong(batch);
                if (later) {
                    respond(out, "202 Accepted", "Rapidfire-Commit: later\r\n");
                    threads.execute(() -> {
                        InputPace.typingPause(ms);
                        commitAndRecord(batch, receivedAt);
                    });
                    continue;
                }
                if (abortedWhileThinking(s, in, ms)) {
                    record(new Outcome("aborted", batch.path("batchId").asText(), batch, receivedAt,
                            System.currentTimeMillis(), 0));
                    return;
                }
                commitAndRecord(batch, receivedAt);
                respond(out, "200 OK", "");
            }
        } catch (IOException e) {
            // the client went away between requests
        }
    }

    /** Thinks for {@code ms}, watching the socket: true when the client closed it meanwhile. */
    private static boolean abortedWhileThinking(Socket s, InputStream in, long ms) throws IOException {
        long until = System.currentTimeMillis() + ms;
        while (true) {
            long left = until - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            s.setSoTimeout((int) Math.max(1, left));
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset
            } finally {
                s.setSoTimeout(0);
            }
        }
    }

    /** A batch without a commitUrl (Rapidfire gave none) is answered without asking, as a bot of before. */
    private void commitAndRecord(JsonNode batch, long receivedAt) {
        String id = batch.path("batchId").asText();
        if (!answeredIds.add(id)) {
            // A redelivery of a batch it answered already (Idempotency-Key): answer the request, not the person.
            record(new Outcome("repeat", id, batch, receivedAt, System.currentTimeMillis(), 0));
            return;
        }
        int status = batch.hasNonNull("commitUrl") ? commit(batch.path("commitUrl").asText()) : 200;
        record(new Outcome(status == 200 ? "answered" : "dropped", id, batch, receivedAt, System.currentTimeMillis(),
                status));
    }

    private void record(Outcome o) {
        outcomes.add(o);
        listener.accept(o);
    }

    /**
     * POSTs the commit (Rapidfire holds it while the person types); a 425 is asked again after Retry-After, and a
     * broken connection (a kept-alive one the server had closed) at once: a commit is idempotent.
     */
    private int commit(String url) {
        int broken = 0;
        for (int i = 0; i < 20; i++) {
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.noBody());
                if (!secret.isEmpty()) {
                    b.header("Authorization", "Bearer " + secret);
                }
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 425) {
                    return r.statusCode();
                }
                InputPace.typingPause(1_000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")));
            } catch (IOException e) {
                if (++broken >= 3) {
                    System.err.println("thinking-bot: commit " + url + " failed 3 times: " + e);
                    return -1;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return 425;
    }

    /** The body of the next request on this connection, or null when the client closed it. */
    private static byte[] readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            head.write(c);
            matched = (c == '\r' || c == '\n') ? (c == "\r\n\r\n".charAt(matched) ? matched + 1 : 0) : 0;
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return in.readNBytes(length);
    }

    private static void respond(OutputStream out, String status, String headers) throws IOException {
        out.write(("HTTP/1.1 " + status + "\r\n" + headers + "Content-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        threads.shutdownNow();
    }
}
