package io.rapidfire.ingest;

import io.rapidfire.http.RateLimiter;

import io.rapidfire.core.Policy;
import io.rapidfire.testing.IngestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Limits that cannot be walked around or that could never be met: charged per message, per sender and per IP;
 * a request bigger than a burst is refused once with 413 naming the limit; the limiters' memory is bounded; made-up
 * channel names share one metric label.
 */
@Tag("fast")
class LimitsTest {
    private static final Policy SLOW = new Policy(60_000, 120_000, 100, 16_384, " ");
    private static final String PATH = "/webhook/whatsapp/batched";

    /** {@code n} messages in one original-format request, from the senders +7900100000{first..first+n-1} or one. */
    private static String bulk(int n, boolean oneSender, String idPrefix) {
        StringBuilder b = new StringBuilder("{\"messages\": [");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"from\": \"+7900100").append(String.format("%04d", oneSender ? 0 : i))
                    .append("\", \"message\": \"m").append(i).append("\", \"messageId\": \"").append(idPrefix).append(i)
                    .append("\"}");
        }
        return b.append("]}").toString();
    }

    @Test
    void theIpLimitCountsMessagesNotRequests() {
        IngestSettings tight = IngestSettings.defaults().withLimits(1_048_576, 60, 1.0, 5, 0.01);
        try (IngestHarness h = new IngestHarness(tight, SLOW, false)) {
            assertThat(h.post(PATH, bulk(4, false, "a")).statusCode()).isEqualTo(200);
            HttpResponse<String> r = h.post(PATH, bulk(2, false, "b"));
            assertThat(r.statusCode()).as("4 + 2 messages from one address, burst 5: " + r.body()).isEqualTo(429);
            assertThat(r.body()).contains("RAPIDFIRE_RATE_IP_BURST").contains("nothing stored");
            assertThat(h.store.pending(100)).hasSize(4);
        }
    }

    @Test
    void aRequestWithMoreMessagesFromOneSenderThanItsBurstIs413NamingTheLimitNotAnEndless429() {
        IngestSettings tight = IngestSettings.defaults().withLimits(1_048_576, 3, 1.0, 2_000, 500);
        try (IngestHarness h = new IngestHarness(tight, SLOW, false)) {
            HttpResponse<String> r = h.post(PATH, bulk(4, true, "c"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
            assertThat(r.body()).contains("4 messages and events from one sender").contains("RAPIDFIRE_RATE_SENDER_BURST")
                    .contains("split it");
            assertThat(r.headers().firstValue("Retry-After")).isEmpty();
            assertThat(h.store.pending(100)).isEmpty();
            assertThat(h.post(PATH, bulk(3, true, "c")).statusCode()).as("a request within the burst").isEqualTo(200);
        }
    }

    @Test
    void aRequestWithMoreMessagesThanTheIpBurstIs413() {
        IngestSettings tight = IngestSettings.defaults().withLimits(1_048_576, 60, 1.0, 5, 100);
        try (IngestHarness h = new IngestHarness(tight, SLOW, false)) {
            HttpResponse<String> r = h.post(PATH, bulk(6, false, "d"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
            assertThat(r.body()).contains("RAPIDFIRE_RATE_IP_BURST");
            assertThat(h.store.pending(100)).isEmpty();
        }
    }

    @Test
    void aFloodOfDistinctSendersKeepsTheLimitersMemoryBoundedAndCountsWhatItForgot() {
        RateLimiter limiter = new RateLimiter(60, 1.0, 1_000);
        for (int i = 0; i < 10_000; i++) {
            assertThat(limiter.take("sender-" + i, 1)).isZero();
        }
        assertThat(limiter.size()).isEqualTo(1_000);
        assertThat(limiter.evictions()).isEqualTo(9_000);
        // The most recently used are kept: a sender that is still sending keeps its count.
        for (int i = 0; i < 59; i++) {
            limiter.take("sender-9999", 1);
        }
        assertThat(limiter.take("sender-9999", 1)).as("60 at once, then limited").isPositive();
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), SLOW, false)) {
            assertThat(h.get("/metrics").body()).contains("rapidfire_rate_limiter_evictions_total{limiter=\"sender\"} 0.0");
        }
    }

    @Test
    void madeUpChannelNamesShareOneMetricLabel() {
        try (IngestHarness h = new IngestHarness(IngestSettings.defaults(), SLOW, false)) {
            for (String ch : new String[]{"zz-one", "zz-two", "web"}) {
                String body = "{\"sender\": \"visitor-1\", \"id\": \"" + ch + "\", \"text\": \"hi\"}";
                assertThat(h.post("/webhook/" + ch, body).statusCode()).isEqualTo(200);
            }
            String metrics = h.get("/metrics").body();
            assertThat(metrics).contains("channel=\"other\"").contains("channel=\"web\"")
                    .doesNotContain("zz-one").doesNotContain("zz-two");
        }
    }
}
