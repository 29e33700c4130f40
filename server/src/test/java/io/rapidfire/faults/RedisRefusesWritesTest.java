package io.rapidfire.faults;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.rapidfire.ops.doctor.Check;
import io.rapidfire.testing.HttpReceiver;
import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis is up and reachable but refuses writes: out of memory, a failed background save (MISCONF), a replica
 * (named by mistake in REDIS_URL, or a master demoted under a running process). For each: the 503 names the
 * cause, the metric counts it, the doctor says what to fix, and once it is fixed every acknowledged message
 * reaches the bot under one batchId.
 */
@Tag("processes")
class RedisRefusesWritesTest {
    private static final String ANN = "+79002220001";

    private static RedisCommands<String, String> admin(RedisServer redis) {
        return RedisClient.create(redis.url()).connect().sync();
    }

    @Test
    void outOfMemoryAnswers503StoreFullAndTheRetryAfterMemoryIsFreedIsStoredOnce() throws Exception {
        try (RedisServer redis = RedisServer.start();
             HttpReceiver bot = new HttpReceiver(r -> HttpReceiver.Answer.status(200));
             FaultDeployment rf = new FaultDeployment(redis.url(), redis.url(), bot.url(), Map.of()).awaitRunning()) {
            RedisCommands<String, String> admin = admin(redis);
            rf.sendUntilStored(ANN, "m0", "before");
            admin.configSet("maxmemory", "1");
            HttpResponse<String> full = rf.send(ANN, "m1", "while full");
            rf.assertRefused(full, "store_full");
            assertThat(full.body()).contains("the batch store is full").contains("raise maxmemory");
            Check settings = rf.doctor().get("redis-settings");
            assertThat(settings.status()).isEqualTo(Check.Status.FAIL);
            assertThat(settings.evidence()).contains("Redis is full");

            admin.configSet("maxmemory", "0");
            rf.sendUntilStored(ANN, "m1", "while full");
            rf.sendUntilStored(ANN, "m2", "after");
            rf.awaitDelivered(() -> bot.requests().stream().map(HttpReceiver.Request::body).toList());
            FaultDeployment.assertLedger(rf.acked(), bot.requests().stream().map(HttpReceiver.Request::body).toList());
        }
    }

    @Test
    void aFailedBackgroundSaveAnswers503StorePersistenceFailedUntilRedisCanSaveAgain() throws Exception {
        try (RedisServer redis = RedisServer.start();
             HttpReceiver bot = new HttpReceiver(r -> HttpReceiver.Answer.status(200));
             FaultDeployment rf = new FaultDeployment(redis.url(), redis.url(), bot.url(), Map.of()).awaitRunning()) {
            RedisCommands<String, String> admin = admin(redis);
            // MISCONF needs save points (set here: "--save" on the command line differs between 6.2 and 7.0).
            admin.configSet("save", "3600 1");
            rf.sendUntilStored(ANN, "m0", "before");
            try {
                unwritable(redis.dir(), true);
                admin.bgsave();
                await("the background save fails").atMost(Duration.ofSeconds(10))
                        .until(() -> admin.info("persistence").contains("rdb_last_bgsave_status:err"));
                HttpResponse<String> refused = rf.send(ANN, "m1", "while Redis cannot save");
                rf.assertRefused(refused, "store_persistence_failed");
                assertThat(refused.body()).contains("cannot persist").contains("BGSAVE");
                Check settings = rf.doctor().get("redis-settings");
                assertThat(settings.status()).isEqualTo(Check.Status.FAIL);
                assertThat(settings.evidence()).contains("MISCONF").contains("rdb_last_bgsave_status:err");
            } finally {
                unwritable(redis.dir(), false);
            }
            admin.bgsave();
            await("the background save succeeds").atMost(Duration.ofSeconds(10))
                    .until(() -> admin.info("persistence").contains("rdb_last_bgsave_status:ok"));
            rf.sendUntilStored(ANN, "m1", "while Redis cannot save");
            rf.sendUntilStored(ANN, "m2", "after");
            rf.awaitDelivered(() -> bot.requests().stream().map(HttpReceiver.Request::body).toList());
            FaultDeployment.assertLedger(rf.acked(), bot.requests().stream().map(HttpReceiver.Request::body).toList());
            assertThat(rf.doctor().get("redis-settings").status()).isNotEqualTo(Check.Status.FAIL);
        }
    }

    @Test
    void aReplicaNamedInRedisUrlIsRefusedAtStartAndAMasterDemotedUnderARunningProcessAnswers503StoreReadOnly()
            throws Exception {
        try (RedisServer master = RedisServer.start();
             RedisServer replica = RedisServer.start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
             HttpReceiver bot = new HttpReceiver(r -> HttpReceiver.Answer.status(200))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> admin(replica).info("replication")
                    .contains("master_link_status:up"));
            try (RapidfireProcess mistaken = RapidfireProcess.start(Map.of("REDIS_URL", replica.url(), "RAPIDFIRE_PORT",
                    Integer.toString(RedisServer.freePort())))) {
                assertThat(mistaken.awaitExit(Duration.ofSeconds(30))).isNotZero();
                assertThat(mistaken.output()).contains("cannot start").contains("store_read_only")
                        .contains("point REDIS_URL at the master");
            }

            try (FaultDeployment rf = new FaultDeployment(master.url(), master.url(), bot.url(), Map.of()).awaitRunning()) {
                rf.sendUntilStored(ANN, "m0", "before");
                RedisCommands<String, String> admin = admin(master);
                admin.replicaof("127.0.0.1", replica.port()); // demoted: now it follows the other server
                HttpResponse<String> refused = rf.send(ANN, "m1", "while read-only");
                rf.assertRefused(refused, "store_read_only");
                assertThat(refused.body()).contains("read-only replica").contains("redis-sentinel://");
                Check settings = rf.doctor().get("redis-settings");
                assertThat(settings.status()).isEqualTo(Check.Status.FAIL);
                assertThat(settings.evidence()).contains("read-only replica of 127.0.0.1:" + replica.port());

                admin.replicaofNoOne();
                rf.sendUntilStored(ANN, "m1", "while read-only");
                rf.sendUntilStored(ANN, "m2", "after");
                rf.awaitDelivered(() -> bot.requests().stream().map(HttpReceiver.Request::body).toList());
                FaultDeployment.assertLedger(rf.acked(), bot.requests().stream().map(HttpReceiver.Request::body).toList());
            }
        }
    }

    /**
     * Makes Redis's data directory refuse new files: root ignores permissions, so as root the directory is made
     * immutable (chattr, from e2fsprogs); otherwise its write permission is taken away.
     */
    private static void unwritable(Path dir, boolean on) throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        ProcessBuilder pb = root ? new ProcessBuilder("chattr", on ? "+i" : "-i", dir.toString())
                : new ProcessBuilder("chmod", on ? "a-w" : "u+w", dir.toString());
        Process p = pb.inheritIO().start();
        if (p.waitFor() != 0) {
            throw new AssertionError(String.join(" ", pb.command()) + " failed (exit " + p.exitValue() + "): this test "
                    + "needs " + (root ? "chattr (apt-get install -y e2fsprogs) and a file system with attributes"
                    : "chmod"));
        }
    }
}
