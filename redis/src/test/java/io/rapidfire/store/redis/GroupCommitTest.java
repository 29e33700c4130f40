package io.rapidfire.store.redis;

import io.lettuce.core.RedisClient;
import io.rapidfire.core.AppendResult;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.Policy;
import io.rapidfire.testing.SharedRedis;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The appends that wait for one partition while its call is out go to Redis together (AppendGroups,
 * appendGroup-n.lua): fewer script calls than appends, and every append still answered on its own, in order.
 * The contract case on every store is BatchQueueContract's "arriving together".
 */
@Tag("redis")
class GroupCommitTest {
    private static final Policy OPEN = new Policy(60_000, 120_000, 1_000, 1_000_000, " ");

    private static long scriptCalls(RedisClient client) {
        String stats = client.connect().sync().info("commandstats");
        long calls = 0;
        Matcher m = Pattern.compile("cmdstat_(?:evalsha|eval):calls=(\\d+)").matcher(stats);
        while (m.find()) {
            calls += Long.parseLong(m.group(1));
        }
        return calls;
    }

    @Test
    void twoHundredAppendsAskedAtOnceForOnePartitionTakeFewerCallsAndEachIsAnsweredInOrder() {
        RedisClient admin = RedisClient.create(SharedRedis.url());
        try (RedisBatchStore store = RedisBatchStore.builder(SharedRedis.url()).namespace(SharedRedis.freshNamespace())
                .partitions(1).timeout(Duration.ofSeconds(5)).build()) {
            ConversationRef a = new ConversationRef("t", "whatsapp", "+79000000001");
            ConversationRef b = new ConversationRef("t", "whatsapp", "+79000000002");
            store.append(Message.text(a, "warm", "warm", 1L), OPEN); // the scripts are loaded
            long before = scriptCalls(admin);
            List<CompletableFuture<AppendResult>> asked = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ConversationRef c = i % 2 == 0 ? a : b;
                asked.add(store.appendAsync(Message.text(c, "m" + i, "w" + i, 1L), OPEN, null));
            }
            for (int i = 0; i < asked.size(); i++) {
                AppendResult r = asked.get(i).join();
                assertThat(r.duplicate()).isFalse();
                assertThat(r.openMessages()).as("append %d", i).isEqualTo(i % 2 == 0 ? i / 2 + 2 : i / 2 + 1);
            }
            long calls = scriptCalls(admin) - before;
            System.out.printf("group commit: 200 appends in %d script calls%n", calls);
            assertThat(calls).as("script calls for 200 appends asked at once").isGreaterThan(0).isLessThan(100);
        } finally {
            admin.shutdown();
        }
    }
}
