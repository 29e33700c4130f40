package io.rapidfire.cluster;

import org.junit.jupiter.api.Tag;

import io.rapidfire.testing.HttpReceiver;
import io.rapidfire.testing.HttpReceiver.Answer;
import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.SharedCluster;
import io.rapidfire.testing.SharedRedis;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Many API and worker processes on one Redis Cluster, with a worker killed (SIGKILL) in the middle of the load. */
@Tag("cluster")
class ClusterProcessesTest {
    @Test
    void twoApisAndThreeWorkersDeliverEveryMessageOnceAndInOrderWhileAWorkerIsKilledAndAnotherStarted() throws Exception {
        String ns = SharedRedis.freshNamespace();
        try (HttpReceiver bot = new HttpReceiver(r -> Answer.status(200));
             ClusterDeployment d = new ClusterDeployment(SharedCluster.url(), ns, bot, Map.of()).start(2, 3)) {
            int conversations = 4_000;
            // The last 500 conversations wait until the new worker runs (if the machine is slow enough to get there).
            RapidFireLoad load = new RapidFireLoad(20261128L, conversations, d.apiPorts, 10_000, 150)
                    .holdFrom(conversations - 500).start(24);
            await().atMost(Duration.ofSeconds(120)).until(() -> load.conversationsDone() >= 500);
            RapidfireProcess victim = d.workers.get(0);
            victim.kill9();
            long killedAt = System.currentTimeMillis();
            RapidfireProcess replacement = d.addWorker();
            long replacementAfterMs = System.currentTimeMillis() - killedAt;
            int doneWhenReplacementRan = load.conversationsDone();
            load.release();
            assertThat(doneWhenReplacementRan).as("the load was still running when the new worker started")
                    .isLessThan(conversations);
            load.awaitSent(Duration.ofSeconds(180));

            load.awaitSettled(bot, SharedCluster.url(), ns, 24, Duration.ofSeconds(60));
            RapidFireLoad.Outcome o = load.outcome(bot);
            System.out.println("cluster, 2 api + 3 workers (one killed with SIGKILL after 500 conversations, a new one "
                    + "running " + replacementAfterMs + " ms later at conversation " + doneWhenReplacementRan
                    + ", all delivered " + (System.currentTimeMillis() - killedAt) + " ms after the kill): " + load.sentCount() + " messages in " + conversations
                    + " conversations; " + o.describe());
            assertThat(load.acknowledgedCount()).as("every message answered 200 (the API processes stayed up)")
                    .isEqualTo(load.sentCount());
            assertThat(o.lostIds()).as("acknowledged but never delivered").isEmpty();
            assertThat(o.inTwoBatches()).as("messages delivered in two different batches").isZero();
            assertThat(o.outOfOrder()).as("conversations whose messages arrived out of order").isZero();
            assertThat(o.deliveredUnacknowledged()).isZero();

            replacement.stop();
            Matcher m = Pattern.compile("stopped: (\\d+) delivered").matcher(replacement.output());
            assertThat(m.find()).as("graceful stop line in\n" + replacement.output()).isTrue();
            assertThat(Long.parseLong(m.group(1))).as("the worker started mid-load took over part of the work").isPositive();
        }
    }
}
