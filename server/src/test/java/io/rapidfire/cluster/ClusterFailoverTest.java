package io.rapidfire.cluster;

import org.junit.jupiter.api.Tag;

import io.lettuce.core.KillArgs;
import io.rapidfire.store.redis.RedisKeys;
import io.rapidfire.testing.HttpReceiver;
import io.rapidfire.testing.HttpReceiver.Answer;
import io.rapidfire.testing.InputPace;
import io.rapidfire.testing.RedisCluster;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A master of a real 3+3 Redis Cluster fails over while 2 API and 2 worker processes carry a seeded rapid-fire
 * load. The unclean case is made reproducible: the victim's replica is frozen (SIGSTOP) and its replication link
 * cut (CLIENT KILL TYPE replica), so for {@link #GAP_MS} the master acknowledges writes its replica never sees;
 * then the master is killed (SIGKILL), the replica thawed (SIGCONT) and promoted by the cluster, and the killed
 * node restarted (it rejoins as the new master's replica). That is asynchronous replication's loss window,
 * widened from microseconds to a second so that every run shows it.
 */
@Tag("cluster")
class ClusterFailoverTest {
    private static final long GAP_MS = 1_500;
    private static final int CONVERSATIONS = 2_000;

    @Test
    void withWaitEnabledAnUncleanFailoverLosesNoAcknowledgedMessage() throws Exception {
        Run r = uncleanFailoverUnderLoad(Map.of("RAPIDFIRE_WAIT_REPLICAS", "1", "RAPIDFIRE_WAIT_TIMEOUT_MS", "250"));
        System.out.println("unclean fail-over WITH WAIT 1: " + r.describe());
        assertThat(r.outcome.lostIds()).as("acknowledged (200 after WAIT) but never delivered").isEmpty();
        assertThat(r.outcome.inTwoBatches()).as("with claims confirmed by a replica, a redelivery keeps its batchId")
                .isZero();
        assertThat(r.outcome.outOfOrder()).isZero();
        assertThat(r.unavailable).as("the master could not confirm replication during the gap: 503s, retried").isPositive();
        assertThat(r.sent - r.acknowledged).as("messages never acknowledged even after 30 s of retries").isZero();
    }

    @Test
    void withoutWaitTheSameFailoverLosesAcknowledgedMessagesAndTheRunCountsThem() throws Exception {
        Run r = uncleanFailoverUnderLoad(Map.of());
        System.out.println("unclean fail-over WITHOUT WAIT: " + r.describe());
        // The point of this run is the figure; it must be able to see loss, or the WAIT run's zero proves nothing.
        assertThat(r.outcome.lost()).as("acknowledged during the replication gap and gone with the old master").isPositive();
        // Claims and acks were not replicated either: some batches come again under a new batchId (reported above,
        // not asserted). What must still hold: what arrives first arrives in order.
        assertThat(r.outcome.outOfOrder()).isZero();
        assertThat(r.unavailable503AfterOk).as("503s later than 5 s after the cluster was whole again").isZero();
    }

    record Run(int sent, int acknowledged, RapidFireLoad.Outcome outcome, int unavailable, long first503AfterKillMs,
               long last503AfterKillMs, long clusterOkAfterKillMs, int unavailable503AfterOk) {
        String describe() {
            return sent + " messages sent in " + CONVERSATIONS + " conversations, " + acknowledged + " acknowledged; "
                    + outcome.lost() + " acknowledged messages lost (" + String.format("%.2f", 100.0 * outcome.lost()
                    / Math.max(1, acknowledged)) + " %); " + unavailable + " answers 503 (retried), from "
                    + first503AfterKillMs + " to " + last503AfterKillMs + " ms after the master was killed; cluster whole "
                    + clusterOkAfterKillMs + " ms after the kill; " + outcome.describe();
        }
    }

    private Run uncleanFailoverUnderLoad(Map<String, String> extra) throws Exception {
        String ns = "fo";
        try (RedisCluster cluster = RedisCluster.start(3, 1);
             HttpReceiver bot = new HttpReceiver(r -> Answer.status(200));
             ClusterDeployment d = new ClusterDeployment(cluster.url(), ns, bot, extra).start(2, 2)) {
            RapidFireLoad load = new RapidFireLoad(7L, CONVERSATIONS, d.apiPorts, 30_000, 100).start(24);
            await().atMost(Duration.ofSeconds(60)).until(() -> load.conversationsDone() >= 300);

            RedisServer victim = cluster.masterOf(new RedisKeys(ns, 24).due(0));
            RedisServer replica = cluster.replicaOf(victim);
            replica.signal("STOP");
            RedisCluster.on(victim, c -> c.clientKill(KillArgs.Builder.typeSlave()));
            InputPace.typingPause(GAP_MS); // the loss window: the master acknowledges what no replica receives
            victim.signal("KILL");
            long killedAt = System.currentTimeMillis();
            replica.signal("CONT");
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    RedisCluster.on(replica, c -> c.info("replication")).contains("role:master"));
            cluster.awaitOk();
            long okAt = System.currentTimeMillis();
            victim.restart(); // rejoins as the new master's replica (and gives WAIT a replica again)
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    RedisCluster.on(replica, c -> c.info("replication")).contains("connected_slaves:1"));
            long replicaBackAt = System.currentTimeMillis();
            load.awaitSent(Duration.ofSeconds(180));

            load.awaitSettled(bot, cluster.url(), ns, 24, Duration.ofSeconds(90));
            List<Long> at = load.unavailableAt();
            long first = at.stream().mapToLong(t -> t - killedAt).min().orElse(0);
            long lastAt = at.stream().mapToLong(t -> t - killedAt).max().orElse(0);
            // With WAIT, a slot whose master has no replica cannot acknowledge: 503 until the replica is back.
            long allowedUntil = (extra.containsKey("RAPIDFIRE_WAIT_REPLICAS") ? replicaBackAt : okAt) + 5_000;
            int late = (int) at.stream().filter(t -> t > allowedUntil).count();
            return new Run(load.sentCount(), load.acknowledgedCount(), load.outcome(bot), at.size(), first, lastAt,
                    okAt - killedAt, late);
        }
    }
}
