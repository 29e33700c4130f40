package io.rapidfire.store.redis;

import io.rapidfire.core.Batch;
import io.rapidfire.core.ClaimResult;
import io.rapidfire.core.ClaimedBatch;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Lease;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.ReleaseReason;
import io.rapidfire.core.StoredMessage;
import io.rapidfire.store.redis.LuaScripts.Script;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A claim (claim-2.lua) and the decoding of the batches it answers. */
final class Claims {
    /** The facade's logger: operators' log filters and alerts name RedisBatchStore. */
    private static final Logger log = LoggerFactory.getLogger(RedisBatchStore.class);

    private final StoreContext ctx;
    private final RedisKeys keys;
    private final ReplicatedWrites writes;

    Claims(StoreContext ctx, ReplicatedWrites writes) {
        this.ctx = ctx;
        this.keys = ctx.keys();
        this.writes = writes;
    }

    @SuppressWarnings("unchecked")
    ClaimResult claim(int partition, int max, long leaseMs, String workerId) {
        String seed = UUID.randomUUID().toString();
        String[] k = {keys.due(partition), keys.inflight(partition)};
        String[] a = {keys.partitionPrefix(partition), Integer.toString(max), Long.toString(leaseMs), workerId, seed,
                ctx.dedupWindow(), keys.wakeChannel(), Integer.toString(partition)};
        // A claim that no replica has seen must not be delivered: after a fail-over the new master would release
        // the same messages again under another batchId, and the bot could not tell them apart. Unconfirmed, the
        // batches stay leased here and come back, same batchId, when the lease runs out.
        List<Object> r = writes.write("claim", "partition " + partition, Script.CLAIM, k, a,
                res -> !((List<Object>) res.get(2)).isEmpty(),
                res -> "claimed " + ((List<Object>) res.get(2)).size() + " batch(es) of partition " + partition,
                "not delivering them (offered again, same batchId, when their lease of " + leaseMs + " ms ends)");
        List<ClaimedBatch> out = new ArrayList<>();
        for (Object o : (List<Object>) r.get(2)) {
            out.add(claimed(partition, (List<Object>) o));
        }
        for (Object gone : (List<Object>) r.get(3)) {
            log.warn("Conversation {} was in an index of partition {} but its batch keys were gone: something that "
                    + "is not Rapidfire deleted keys under '{}:' (check `CLIENT LIST` and `MONITOR` for DEL "
                    + "commands; run one Rapidfire deployment per namespace)", io.rapidfire.core.Mask.conversation(
                    (String) gone), partition, keys.namespace());
        }
        return new ClaimResult(out, (Long) r.get(0), (Long) r.get(1));
    }

    /** One batch of claim-2.lua's answer; its fields are listed in the script's header, in this order. */
    @SuppressWarnings("unchecked")
    private ClaimedBatch claimed(int partition, List<Object> b) {
        String conv = (String) b.get(0);
        ConversationRef ref = ConversationRef.parseKey(conv);
        List<StoredMessage> messages = new ArrayList<>();
        for (Object e : (List<Object>) b.get(8)) {
            messages.add(decodeEntry((String) e, ref));
        }
        Lease lease = new Lease(partition, conv, (String) b.get(1), (String) b.get(2));
        String supersedes = (String) b.get(11);
        Batch batch = Batch.of(lease.batchId(), ref, asLong(b.get(7)), messages,
                ReleaseReason.fromWire((String) b.get(4)), (int) asLong(b.get(3)),
                b.get(10) != null ? (String) b.get(10) : ctx.joiner(),
                supersedes.isEmpty() ? List.of() : List.of(supersedes.split(",")), asLong(b.get(12)))
                .withHandover(asLong(b.get(14)) == 1);
        return new ClaimedBatch(lease, batch, asLong(b.get(9)), asLong(b.get(13)) == 1);
    }

    /** An open or in-flight list entry, "&lt;store ms&gt;|&lt;bytes&gt;|&lt;json&gt;" (append-6.lua). */
    private static StoredMessage decodeEntry(String entry, ConversationRef ref) {
        int a = entry.indexOf('|');
        int b = entry.indexOf('|', a + 1);
        return new StoredMessage(MessageCodec.decode(entry.substring(b + 1), ref), Long.parseLong(entry.substring(0, a)));
    }

    private static long asLong(Object o) {
        return o instanceof Long l ? l : Long.parseLong(o.toString());
    }
}
