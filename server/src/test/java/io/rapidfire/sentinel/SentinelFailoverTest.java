package io.rapidfire.sentinel;

import org.junit.jupiter.api.Tag;

import io.rapidfire.cluster.ClusterDeployment;
import io.rapidfire.cluster.RapidFireLoad;
import io.rapidfire.testing.HttpReceiver;
import io.rapidfire.testing.HttpReceiver.Answer;
import io.rapidfire.testing.RedisCluster;
import io.rapidfire.testing.RedisSentinelSetup;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An API and a worker process that reach Redis through Sentinel keep going across a Sentinel fail-over. */
@Tag("cluster")
class SentinelFailoverTest {
    @Test
    void anApiAndAWorkerBehindSentinelLoseNothingAcknowledgedWhenTheMasterFailsOverDuringTheLoad() throws Exception {
        try (RedisSentinelSetup redis = RedisSentinelSetup.start();
             HttpReceiver bot = new HttpReceiver(r -> Answer.status(200));
             ClusterDeployment d = new ClusterDeployment(redis.url(), "sn", bot,
                     Map.of("RAPIDFIRE_PARTITIONS", "8", "RAPIDFIRE_WAIT_REPLICAS", "1",
                             "RAPIDFIRE_WAIT_TIMEOUT_MS", "250")).start(1, 1)) {
            RapidFireLoad load = new RapidFireLoad(11L, 600, d.apiPorts, 30_000, 100).start(12);
            await().atMost(Duration.ofSeconds(60)).until(() -> load.conversationsDone() >= 150);
            long t0 = System.currentTimeMillis();
            RedisCluster.on(redis.sentinel(), r -> r.dispatch(io.lettuce.core.protocol.CommandType.SENTINEL,
                    new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                    new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
                            .add("failover").add(RedisSentinelSetup.MASTER_NAME)));
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    RedisCluster.on(redis.replica(), r -> r.info("replication")).contains("role:master")
                            && RedisCluster.on(redis.replica(), r -> r.info("replication")).contains("connected_slaves:1"));
            long switched = System.currentTimeMillis() - t0;
            load.awaitSent(Duration.ofSeconds(120));
            load.awaitSettled(bot, redis.url(), "sn", 8, Duration.ofSeconds(60));
            RapidFireLoad.Outcome o = load.outcome(bot);
            System.out.println("Sentinel fail-over (SENTINEL FAILOVER, new master with its replica after " + switched
                    + " ms), WAIT 1: " + load.sentCount() + " messages, " + load.unavailableAt().size()
                    + " answers 503 (retried); " + o.describe());
            assertThat(load.acknowledgedCount()).as("every message acknowledged in the end").isEqualTo(load.sentCount());
            assertThat(o.lostIds()).isEmpty();
            assertThat(o.inTwoBatches()).isZero();
            assertThat(o.outOfOrder()).isZero();
            String oldMaster = RedisCluster.on(redis.master(), r -> r.info("replication"));
            assertThat(oldMaster).as("the old master now follows").contains("role:slave");
        }
    }
}
