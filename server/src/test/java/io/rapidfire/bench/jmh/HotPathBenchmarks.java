package io.rapidfire.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.Batch;
import io.rapidfire.core.BatchJson;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.Policy;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.core.StoredMessage;
import io.rapidfire.ingest.InboundProbe;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.RedisServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hot paths, one at a time: adapting each inbound payload shape, one append to a real Redis, and
 * serialising a batch for the sink. {@code bench/jmh} runs them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmarks {

    @State(Scope.Benchmark)
    public static class Payloads {
        JsonNode original;
        JsonNode baileys;
        JsonNode cloud;
        JsonNode telegram;
        Batch batch;

        @Setup
        public void load() throws Exception {
            original = MessageCodec.JSON.readTree("{\"from\": \"79001234567@c.us\", \"message\": \"book me for a haircut\", "
                    + "\"messageId\": \"3EB0A1B2C3D4E5F60002\", \"timestamp\": 1764320002}");
            baileys = MessageCodec.JSON.readTree(io.rapidfire.testing.IngestHarness.payload("baileys-text.json"));
            cloud = MessageCodec.JSON.readTree(io.rapidfire.testing.IngestHarness.payload("cloud-image-and-status.json"));
            telegram = MessageCodec.JSON.readTree(io.rapidfire.testing.IngestHarness.payload("telegram-photo.json"));
            ConversationRef c = new ConversationRef("acme", "whatsapp", "+79001234567");
            List<StoredMessage> ms = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ms.add(new StoredMessage(Message.text(c, "m" + i, "part " + i + " of what I wanted to say", 1_764_320_000_000L + i), i));
            }
            batch = Batch.of("3f0c9a1b2c4d5e6f7a8b-1", c, 1, ms, ReleaseReason.QUIET, 1, " ");
        }
    }

    @State(Scope.Benchmark)
    public static class Redis {
        RedisServer server;
        RedisBatchStore store;
        final AtomicLong n = new AtomicLong();

        @Setup(Level.Trial)
        public void start() {
            server = RedisServer.start();
            store = RedisBatchStore.builder(server.url()).clientName("rapidfire:jmh").timeout(Duration.ofSeconds(2)).namespace("jmh").partitions(16).dedupWindow(Duration.ofDays(1)).build();
        }

        @TearDown(Level.Trial)
        public void stop() {
            store.close();
            server.close();
        }
    }

    @Benchmark
    public Object adaptOriginal(Payloads p) {
        return InboundProbe.original(p.original);
    }

    @Benchmark
    public Object adaptBaileys(Payloads p) {
        return InboundProbe.whatsapp(p.baileys);
    }

    @Benchmark
    public Object adaptCloudApi(Payloads p) {
        return InboundProbe.cloud(p.cloud);
    }

    @Benchmark
    public Object adaptTelegram(Payloads p) {
        return InboundProbe.telegram(p.telegram);
    }

    @Benchmark
    public String serialiseBatchOf10(Payloads p) {
        return BatchJson.of(p.batch);
    }

    @Benchmark
    public Object appendToRedis(Redis r) {
        long i = r.n.incrementAndGet();
        return r.store.append(Message.text(new ConversationRef("acme", "whatsapp", "+7" + (9_000_000_000L + i % 50_000)),
                "m" + i, "hello", null), Policy.DEFAULT);
    }
}
