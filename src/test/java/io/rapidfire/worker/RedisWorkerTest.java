package io.rapidfire.worker;

import io.rapidfire.core.BatchStore;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

class RedisWorkerTest extends WorkerContract {
    private static RedisServer redis;
    private static final AtomicInteger namespaces = new AtomicInteger();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected BatchStore newStore() {
        return new RedisBatchStore(redis.url(), "rapidfire:test-worker", Duration.ofSeconds(2),
                "w" + namespaces.incrementAndGet(), 4, 60_000, " ");
    }
}
