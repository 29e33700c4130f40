package io.rapidfire.cli;

import org.junit.jupiter.api.Tag;

import io.rapidfire.core.ClaimedBatch;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Message;
import io.rapidfire.core.Policy;
import io.rapidfire.store.redis.RedisBatchStore;
import io.rapidfire.testing.Cli;
import io.rapidfire.testing.Cli.Run;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator's commands against a real Redis, run as the CLI runs them (output and exit status). */
@Tag("processes")
class OperatorCommandsTest {
    private RedisServer redis;
    private RedisBatchStore store;
    private final ConversationRef anna = new ConversationRef("default", "whatsapp", "+79001234567");

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        store = RedisBatchStore.builder(redis.url()).clientName("test").timeout(Duration.ofSeconds(2)).namespace("rf").partitions(16).dedupWindow(Duration.ofMinutes(1)).build();
    }

    @AfterEach
    void stop() {
        store.close();
        redis.close();
    }

    private Run rapidfire(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--redis-url");
        a.add(redis.url());
        return Cli.run(a.toArray(String[]::new));
    }

    private ClaimedBatch claimOne() {
        return store.claim(store.partitionOf(anna), 10, 60_000, "test").batches().get(0);
    }

    @Test
    void statsShowsPendingAndInFlightBatches() {
        store.append(Message.text(anna, "m1", "hi", null), Policy.DEFAULT);
        Run r = rapidfire("stats");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("pending 1, in flight 0, dead letters 0").contains("default:whatsapp:+79001234567");
        Run j = rapidfire("stats", "--json");
        assertThat(j.out()).contains("\"pendingBatches\" : 1").contains("\"releaseRule\" : \"quiet\"");
        assertThat(rapidfire("stats", "--masked").out()).contains("default:whatsapp:+790").doesNotContain("79001234567");
    }

    @Test
    void flushAndClearTakeAPhoneNumberOrAConversationKey() {
        store.append(Message.text(anna, "m1", "hi", null), Policy.DEFAULT);
        Run f = rapidfire("flush", "89001234567");
        assertThat(f.status()).as(f.err()).isZero();
        assertThat(f.out()).contains("flushed default:whatsapp:+79001234567");
        assertThat(claimOne().batch().reason().wire()).isEqualTo("flush");

        store.append(Message.text(anna, "m2", "again", null), Policy.DEFAULT);
        Run c = rapidfire("clear", "default:whatsapp:+79001234567");
        assertThat(c.out()).contains("cleared 2 message(s)");
        assertThat(rapidfire("flush", "79001234567").status()).as("nothing left").isEqualTo(1);
    }

    @Test
    void deadLettersCanBeListedShownReplayedAndPurged() {
        store.append(Message.text(anna, "m1", "hi", null), Policy.DEFAULT.withQuietMs(0));
        ClaimedBatch b = claimOne();
        store.deadLetter(b.lease(), b.batch(), "refused: HTTP 422");
        String id = b.batch().batchId();

        assertThat(rapidfire("dlq", "list").out()).contains(id).contains("refused: HTTP 422");
        assertThat(rapidfire("dlq", "show", id).out()).contains("\"deadLetterReason\" : \"refused: HTTP 422\"")
                .contains("\"text\" : \"hi\"").contains("+79001234567");
        // The dashboard's masked view, for pasting into a ticket: the same decision (AdminView) as /admin/*.
        String masked = rapidfire("dlq", "show", id, "--masked").out();
        assertThat(masked).contains("\"deadLetterReason\" : \"refused: HTTP 422\"").contains("characters hidden")
                .doesNotContain("79001234567").doesNotContain("\"hi\"");
        assertThat(rapidfire("dlq", "list", "--masked").out()).contains(id).doesNotContain("79001234567");
        Run replay = rapidfire("dlq", "replay", id);
        assertThat(replay.out()).contains("replayed 1");
        ClaimedBatch again = claimOne();
        assertThat(again.batch().reason().wire()).isEqualTo("replay");
        assertThat(again.batch().text()).isEqualTo("hi");

        store.deadLetter(again.lease(), again.batch(), "still refused");
        assertThat(rapidfire("dlq", "purge", "--all").out()).contains("purged 1");
        assertThat(rapidfire("dlq", "show", id).status()).isEqualTo(1);
        Run bad = rapidfire("dlq", "replay");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("needs a BATCH_ID");
    }

    @Test
    void policiesCanBeChangedShownAndResetAndBadSpecsAreRefused() {
        Run set = rapidfire("policy", "set", "quietMs:0");
        assertThat(set.status()).as(set.err()).isZero();
        assertThat(set.out()).contains("every tenant").contains("quiet 0 ms (batching off)");
        assertThat(rapidfire("policy", "set", "--tenant", "acme", "maxMessages:3").status()).isZero();
        assertThat(store.runtimePolicies()).containsEntry("*", "quietMs:0").containsEntry("acme", "maxMessages:3");
        assertThat(rapidfire("policy", "show").out()).contains("acme=maxMessages:3");
        assertThat(rapidfire("policy", "set", "--tenant", "beta",
                "typing:off,adaptive:on,adaptiveFloorMs:1500,flushKeywords:done|that's all,firstMessage:on").status())
                .isZero();
        assertThat(rapidfire("policy", "show").out()).contains("in force for tenant beta: quiet 0 ms (batching off)",
                "typing-aware off", "adaptive on (floor 1500 ms)", "flush keywords done|that's all",
                "first message at once");
        Run badSwitch = rapidfire("policy", "set", "typing:maybe");
        assertThat(badSwitch.status()).isEqualTo(2);
        assertThat(badSwitch.err()).contains("typing of tenant * is on or off (got \"maybe\")");
        Run bad = rapidfire("policy", "set", "quietMs:-1");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("it must be a whole number from 0 to 86400000 (setting RAPIDFIRE_QUIET_MS");
        assertThat(rapidfire("policy", "reset").out()).contains("removed");
        assertThat(store.runtimePolicies()).doesNotContainKey("*");
    }

    @Test
    void aConversationIsHandedToAHumanShownAndHandedBackAndBadLengthsAreRefused() {
        Run start = rapidfire("handover", "79001234567", "--for", "2h");
        assertThat(start.status()).as(start.err()).isZero();
        assertThat(start.out()).contains("default:whatsapp:+79001234567: with a human").contains("started by operator");
        assertThat(store.handover(anna).untilMs() - store.nowMs()).isBetween(7_100_000L, 7_200_000L);
        assertThat(rapidfire("handover", "79001234567", "--show").out()).contains("bot answers again in");
        ClaimedBatch event = claimOne();
        assertThat(event.batch().handover()).isTrue();
        assertThat(event.batch().messages().get(0).metadata()).containsEntry("handover", "started");
        assertThat(rapidfire("handover", "79001234567", "--end").out()).contains("handed back to the bot");
        assertThat(store.handover(anna)).isNull();
        assertThat(rapidfire("handover", "79001234567", "--end").status()).as("nothing to hand back").isEqualTo(1);
        Run week = rapidfire("handover", "79001234567", "--for", "8d");
        assertThat(week.status()).isEqualTo(2);
        assertThat(week.err()).contains("one week");
        assertThat(rapidfire("handover", "79001234567", "--forever").out()).contains("no end (bot off)");
    }

    @Test
    void aConversationGetsRulesOfItsOwnShownWithTheirLevelAndResetAndBadOnesAreRefused() {
        Run set = rapidfire("policy", "set", "--conversation", "79001234567", "quietMs:120000", "--for", "1d");
        assertThat(set.status()).as(set.err()).isZero();
        assertThat(set.out()).contains("policy of default:whatsapp:+79001234567 is now: quiet 120000 ms");
        assertThat(store.runtimePolicies()).containsKey("conv:default:whatsapp:+79001234567");
        assertThat(rapidfire("policy", "show", "--conversation", "79001234567").out())
                .contains("follows its conversation policy").contains("its own rules: quietMs:120000 until store time");
        assertThat(rapidfire("policy", "show").out()).as("tenants' overrides only").doesNotContain("conv:");
        Run bad = rapidfire("policy", "set", "--conversation", "79001234567", "maxMessages:0");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("maxMessages").contains("RAPIDFIRE_MAX_MESSAGES");
        assertThat(rapidfire("policy", "reset", "--conversation", "79001234567").out()).contains("removed");
        assertThat(store.runtimePolicies()).isEmpty();
    }

    @Test
    void operatorCommandsWithoutRedisSayWhatToSet() {
        PrintStream err = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            assertThat(RapidfireCommand.execute("stats", "--set", "REDIS_URL=")).isEqualTo(2);
        } finally {
            System.setErr(err);
        }
        assertThat(e.toString(StandardCharsets.UTF_8)).contains("set REDIS_URL");
    }
}
