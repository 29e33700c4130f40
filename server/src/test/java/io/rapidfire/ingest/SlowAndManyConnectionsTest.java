package io.rapidfire.ingest;

import io.rapidfire.http.EdgeSettings;

import io.rapidfire.core.Policy;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that hold connections instead of sending requests: one header line at a time (slowloris), or a flood of
 * connections that send nothing. RAPIDFIRE_REQUEST_TIMEOUT_MS closes them; RAPIDFIRE_MAX_CONNECTIONS caps how many are
 * open; a real request is still answered. Real sockets on 127.0.0.1, every loop bounded in time.
 */
@Tag("fast")
class SlowAndManyConnectionsTest {
    private static final Policy SLOW = new Policy(600_000, 1_200_000, 100, 16_384, " ");
    private static final String MESSAGE = "{\"from\": \"79001234567@c.us\", \"message\": \"hi\", \"messageId\": \"ok-1\"}";

    private static IngestSettings withConnections(int max, long requestTimeoutMs) {
        return IngestSettings.defaults().withEdge(EdgeSettings.defaults().withConnections(max, 30_000, requestTimeoutMs));
    }

    /** Sends one header line every 400 ms until the server closes the connection; returns when that was (ms), or -1. */
    private static long trickleUntilClosed(int port, long giveUpMs) throws IOException {
        long t0 = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(400);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(("POST /webhook/whatsapp/batched HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int line = 0; (System.nanoTime() - t0) / 1_000_000 < giveUpMs; line++) {
                try {
                    out.write(("X-Slow-" + line + ": still typing\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    if (in.read() == -1) {
                        return (System.nanoTime() - t0) / 1_000_000;
                    }
                } catch (SocketTimeoutException stillOpen) {
                    // nothing from the server within 400 ms: send the next line
                } catch (IOException reset) {
                    return (System.nanoTime() - t0) / 1_000_000;
                }
            }
            return -1;
        }
    }

    @Test
    void aClientSendingOneHeaderLineAtATimeIsDisconnectedAtTheRequestDeadline() throws Exception {
        try (IngestHarness h = new IngestHarness(withConnections(100, 1_500), SLOW, false)) {
            int port = h.server().port();
            List<Thread> slow = new ArrayList<>();
            List<Long> closedAfter = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 5; i++) {
                Thread t = new Thread(() -> {
                    try {
                        closedAfter.add(trickleUntilClosed(port, 10_000));
                    } catch (IOException e) {
                        closedAfter.add(-2L);
                    }
                });
                t.start();
                slow.add(t);
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> h.server().openConnections() >= 5);
            HttpResponse<String> real = h.post("/webhook/whatsapp/batched", MESSAGE);
            assertThat(real.statusCode()).as("a real request while the slow ones trickle").isEqualTo(200);
            for (Thread t : slow) {
                t.join(15_000);
            }
            // Each kept its connection busy for well past the idle timeout's reach (a line every 400 ms) but was cut at
            // the 1.5 s request deadline (checked a few times per deadline).
            assertThat(closedAfter).hasSize(5).allSatisfy(ms -> assertThat(ms).isBetween(1_400L, 4_000L));
            assertThat(h.metrics.scrape()).contains("rapidfire_requests_rejected_total{reason=\"request_timeout\"} 5.0");
        }
    }

    @Test
    void aFloodOfSilentConnectionsIsCappedAndARealRequestIsStillAnswered() throws Exception {
        int cap = 20;
        try (IngestHarness h = new IngestHarness(withConnections(cap, 2_000), SLOW, false)) {
            AtomicInteger most = new AtomicInteger();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    most.accumulateAndGet(h.server().openConnections(), Math::max);
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // sample every millisecond
                }
            });
            sampler.start();
            List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 3 * cap; i++) {
                    flood.add(new Socket("127.0.0.1", h.server().port())); // the kernel completes the handshake
                }
                long t0 = System.nanoTime();
                HttpResponse<String> real = h.post("/webhook/whatsapp/batched", MESSAGE);
                long waitedMs = (System.nanoTime() - t0) / 1_000_000;
                System.out.println("connection flood: a real request answered after " + waitedMs + " ms, at most "
                        + most.get() + " connections open (cap " + cap + ")");
                assertThat(real.statusCode()).isEqualTo(200);
                assertThat(waitedMs).as("answered once the flood's connections hit their deadline, wave by wave (3 x 2 s here)").isLessThan(20_000);
            } finally {
                sampling.set(false);
                sampler.join();
                for (Socket s : flood) {
                    s.close();
                }
            }
            assertThat(most.get()).as("the flood reached the cap and never passed it").isEqualTo(cap);
            assertThat(h.store.counts().pending()).isEqualTo(1);
        }
    }
}
