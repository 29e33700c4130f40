package io.rapidfire.store.redis;

import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.FlightState;
import io.rapidfire.core.InflightBatch;
import io.rapidfire.core.Pace;
import io.rapidfire.core.PendingBatch;
import io.rapidfire.core.Policy;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.core.ReleaseRules;

import java.util.Map;

/**
 * The one Java reader of a conversation's hash ({@link RedisKeys#conversation}): the field names (their meanings
 * are listed in lua/includes/readConv.lua) and what a missing field stands for.
 *
 * <p>The rule for a missing field is readConv.lua's: the scripts release batches by these values and Java only
 * reports on them, so a report with fallbacks of its own would show a reason the scripts do not apply. Policy
 * cannot hold two of Lua's fallbacks (a max wait of 0, and no fewer than 1 message or byte, which Lua shares); the
 * smallest value Policy accepts stands in for those.
 */
final class ConversationHash {
    /**
     * readConv.lua parsePace of a missing px (state written before px existed): typing-aware release off,
     * typing timeout 10 s, adaptive off, supersede off, no commit floor.
     */
    static final String PACE_WHEN_MISSING = "-1,10000,-1,0,0";

    private final Map<String, String> h;

    ConversationHash(Map<String, String> fields) {
        this.h = fields;
    }

    /** The open batch as inspection shows it, with the reason the rules give it now. */
    PendingBatch pending(ConversationRef ref, int partition, long dueAtMs, String defaultJoiner) {
        long on = num("on");
        long ob = num("ob");
        long of = num("of");
        long ol = num("ol");
        Pace pace = Pace.of(num("yp") == 1, ol, num("yc"), num("ys"), num("gm"), num("gd"));
        String fl = h.getOrDefault("fl", "");
        ReleaseReason rule = ReleaseRules.reason(on, ob, false, of, ol,
                fl.isEmpty() ? null : ReleaseReason.fromWire(fl), policy(defaultJoiner), pace);
        return new PendingBatch(ref, partition, on, ob, of, ol, dueAtMs, rule, pace.presence() ? pace.composing() : null);
    }

    /** The batch in flight as inspection shows it. */
    InflightBatch inflight(ConversationRef ref, int partition, long untilMs) {
        return new InflightBatch(ref, partition, h.get("fid"), (int) num("fatt"), FlightState.fromWire(h.get("fstate")),
                untilMs, h.get("fworker"), h.get("ferr"), num("on"));
    }

    /** The policy of the latest append; {@code defaultJoiner} for state written before the joiner was stored. */
    Policy policy(String defaultJoiner) {
        return new Policy(num("pq"), Math.max(1, num("pw")), (int) Math.max(1, num("pn")), (int) Math.max(1, num("pb")),
                h.getOrDefault("pj", defaultJoiner)).withPaceSpec(h.getOrDefault("px", PACE_WHEN_MISSING));
    }

    private long num(String field) {
        String v = h.get(field);
        return v == null ? 0 : Long.parseLong(v);
    }
}
