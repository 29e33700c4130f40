package io.rapidfire.testing;



import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A real HTTP server on a free port standing in for the bot: records each request, answers as told. */
public final class HttpReceiver implements AutoCloseable {
    public record Request(String body, Map<String, List<String>> headers, long atMillis) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** @param body what the bot answers with (a bot's {@code {"handover": true}}, say) */
    public record Answer(int status, Map<String, String> headers, long delayMs, String body) {
        public Answer(int status, Map<String, String> headers, long delayMs) {
            this(status, headers, delayMs, "{\"ok\":true}");
        }

        public static Answer status(int s) {
            return new Answer(s, Map.of(), 0);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();

    public HttpReceiver(Function<Request, Answer> answer) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1_024);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", ex -> handle(ex, answer));
        server.start();
    }

    private void handle(HttpExchange ex, Function<Request, Answer> answer) throws IOException {
        Request r = new Request(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                Map.copyOf(ex.getRequestHeaders()), System.currentTimeMillis());
        synchronized (this) {
            requests.add(r);
        }
        Answer a = answer.apply(r);
        if (a.delayMs() > 0) {
            InputPace.typingPause(a.delayMs());
        }
        a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(a.status(), body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/batches";
    }

    public synchronized List<Request> requests() {
        return new ArrayList<>(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
