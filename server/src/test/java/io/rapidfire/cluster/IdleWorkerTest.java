package io.rapidfire.cluster;

import org.junit.jupiter.api.Tag;

import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.Policy;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.store.redis.RedisLink;
import io.rapidfire.testing.InputPace;
import io.rapidfire.testing.RecordingSink;
import io.rapidfire.testing.SharedCluster;
import io.rapidfire.testing.SharedRedis;
import io.rapidfire.worker.Worker;
import io.rapidfire.worker.WorkerSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A worker with nothing due sends nothing: no claim per partition per tick, on any master. */
@Tag("cluster")
class IdleWorkerTest {
    @Test
    void anIdleWorkerSendsNoClaimsBetweenSafetyPollsAndOneMessageCostsAHandfulOfScripts() {
        int partitions = 24;
        try (RedisBatchStore store = RedisBatchStore.builder(SharedCluster.url()).clientName("rapidfire:test-idle").timeout(Duration.ofSeconds(2)).namespace(SharedRedis.freshNamespace()).partitions(partitions).dedupWindow(Duration.ofMinutes(1)).build()) {
            RecordingSink sink = new RecordingSink();
            Worker worker = new Worker(store, sink, WorkerSettings.builder("idle").concurrency(4).lease(Duration.ofSeconds(30)).maxAttempts(3).retryBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).safetyPoll(Duration.ofMillis(10_000)).shutdownGrace(Duration.ofSeconds(1)).build()).start();
            try {
                InputPace.typingPause(1_000); // the start-up pass claims every partition once
                long before = scriptCalls(store.link());
                InputPace.typingPause(3_000);
                long idle = scriptCalls(store.link()) - before;

                long before2 = scriptCalls(store.link());
                store.append(Message.text(new ConversationRef("acme", "whatsapp", "+79001112233"), "m1", "hi", null),
                        new Policy(200, 5_000, 10, 16_384, " "));
                await().atMost(Duration.ofSeconds(5)).until(() -> sink.acked().size() == 1);
                InputPace.typingPause(500);
                long one = scriptCalls(store.link()) - before2;
                System.out.println("idle worker over 3 s with " + partitions + " partitions on 3 masters: " + idle
                        + " scripts run; one message appended, claimed, delivered, acknowledged: " + one);
                assertThat(idle).as("scripts run by an idle worker in 3 s (safety poll 10 s)").isZero();
                assertThat(one).as("append + claim + ack, and a wake-up claim or two").isBetween(3L, 6L);
            } finally {
                worker.close();
            }
        }
    }

    /** Scripts run (EVALSHA + EVAL, not counting NOSCRIPT refusals) on every master, from INFO commandstats. */
    private static long scriptCalls(RedisLink link) {
        long n = 0;
        for (RedisLink.Server m : link.masters()) {
            for (String line : m.commands().info("commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
                    // calls count a NOSCRIPT refusal too (failed_calls); what ran is the difference
                    n += Long.parseLong(line.replaceAll(".*:calls=(\\d+),.*", "$1"))
                            - Long.parseLong(line.replaceAll(".*failed_calls=(\\d+).*", "$1"));
                }
            }
        }
        return n;
    }
}
