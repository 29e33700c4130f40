package io.rapidfire.store;

import org.junit.jupiter.api.Tag;

import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.Policy;
import io.rapidfire.core.StoreUnavailableException;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("redis")
class RedisConnectionTest {
    private static final Message MSG = Message.text(new ConversationRef("acme", "whatsapp", "79001234567"), "m1", "hi", null);

    @Test
    void aPasswordAndADatabaseNumberInRedisUrlAreUsedAndTheConnectionIsNamed() {
        try (RedisServer redis = RedisServer.start("--requirepass", "hunter2")) {
            String url = "redis://:hunter2@127.0.0.1:" + redis.port() + "/3";
            try (RedisBatchStore store = RedisBatchStore.builder(url).clientName("rapidfire:api:42@test").timeout(Duration.ofSeconds(2)).namespace("rf").partitions(4).dedupWindow(Duration.ofMinutes(1)).build()) {
                store.append(MSG, Policy.DEFAULT);
                assertThat(store.describe()).isEqualTo("redis redis://127.0.0.1:" + redis.port() + "/3")
                        .doesNotContain("hunter2");
                RedisClient probe = RedisClient.create(url);
                try (StatefulRedisConnection<String, String> c = probe.connect()) {
                    assertThat(c.sync().dbsize()).as("keys in db 3").isPositive();
                    assertThat(c.sync().clientList()).contains("name=rapidfire:api:42@test");
                    c.sync().select(0);
                    assertThat(c.sync().dbsize()).as("nothing in db 0").isZero();
                } finally {
                    probe.shutdown();
                }
            }
        }
    }

    @Test
    void aWrongPasswordStopsStartupWithAnErrorThatNamesTheServerButNotThePassword() {
        try (RedisServer redis = RedisServer.start("--requirepass", "hunter2")) {
            String url = "redis://:wrong@127.0.0.1:" + redis.port() + "/0";
            assertThatThrownBy(() -> RedisBatchStore.builder(url).clientName("t").timeout(Duration.ofSeconds(2)).namespace("rf").partitions(4).dedupWindow(Duration.ofMinutes(1)).build())
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("127.0.0.1:" + redis.port())
                    .hasMessageContaining("REDIS_URL")
                    .hasMessageNotContaining("wrong@");
        }
    }

    @Test
    void aStoppedRedisMakesAppendFailFastAsUnavailable() {
        RedisServer redis = RedisServer.start();
        try (RedisBatchStore store = RedisBatchStore.builder(redis.url()).clientName("t").timeout(Duration.ofMillis(500)).namespace("rf").partitions(4).dedupWindow(Duration.ofMinutes(1)).build()) {
            store.append(MSG, Policy.DEFAULT);
            redis.close();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> store.append(MSG, Policy.DEFAULT)).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("append");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
        }
    }

    @Test
    void aStoppedRedisFailsAnAsyncAppendAsUnavailableWithoutHoldingTheCaller() throws Exception {
        RedisServer redis = RedisServer.start();
        try (RedisBatchStore store = RedisBatchStore.builder(redis.url()).clientName("t").timeout(Duration.ofMillis(500)).namespace("rf").partitions(4).dedupWindow(Duration.ofMinutes(1)).build()) {
            store.appendAsync(MSG, Policy.DEFAULT, null).get(5, java.util.concurrent.TimeUnit.SECONDS);
            redis.close();
            long t0 = System.nanoTime();
            java.util.concurrent.CompletableFuture<io.rapidfire.core.AppendResult> f = store.appendAsync(MSG, Policy.DEFAULT, null);
            assertThat((System.nanoTime() - t0) / 1_000_000).as("the caller is not held").isLessThan(200);
            assertThatThrownBy(() -> f.get(5, java.util.concurrent.TimeUnit.SECONDS))
                    .hasCauseInstanceOf(StoreUnavailableException.class).hasMessageContaining("append");
        }
    }

    @Test
    void anAsyncAppendThatWaitsForMissingReplicasFailsItsFutureNotTheCaller() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RedisBatchStore store = RedisBatchStore.builder(redis.url()).clientName("t").timeout(Duration.ofSeconds(2)).namespace("rf").partitions(4).dedupWindow(Duration.ofMinutes(1))
                     .durability(new RedisBatchStore.Durability(1, 100, 60_000)).build()) {
            long t0 = System.nanoTime();
            java.util.concurrent.CompletableFuture<io.rapidfire.core.AppendResult> f = store.appendAsync(MSG, Policy.DEFAULT, null);
            assertThat((System.nanoTime() - t0) / 1_000_000).as("the caller is not held for the WAIT").isLessThan(100);
            assertThatThrownBy(() -> f.get(5, java.util.concurrent.TimeUnit.SECONDS))
                    .hasCauseInstanceOf(io.rapidfire.core.NotReplicatedException.class)
                    .hasMessageContaining("RAPIDFIRE_WAIT_REPLICAS=1");
        }
    }

    @Test
    void aProcessWithADifferentNumberOfPartitionsThanTheDeploymentRefusesToStart() {
        try (RedisServer redis = RedisServer.start();
             RedisBatchStore first = RedisBatchStore.builder(redis.url()).clientName("t").timeout(Duration.ofSeconds(2)).namespace("rf").partitions(16).dedupWindow(Duration.ofMinutes(1)).build()) {
            assertThatThrownBy(() -> RedisBatchStore.builder(redis.url()).clientName("t").timeout(Duration.ofSeconds(2)).namespace("rf").partitions(8).dedupWindow(Duration.ofMinutes(1)).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("RAPIDFIRE_PARTITIONS=8")
                    .hasMessageContaining("uses 16 partitions")
                    .hasMessageContaining("Set RAPIDFIRE_PARTITIONS=16");
            RedisBatchStore.builder(redis.url()).clientName("t").timeout(Duration.ofSeconds(2)).namespace("other").partitions(8).dedupWindow(Duration.ofMinutes(1)).build().close();
            assertThat(first.partitions()).isEqualTo(16);
        }
    }
}
