package io.rapidfire.store.redis;

import io.lettuce.core.cluster.SlotHash;

/**
 * The one place Redis key names are built. Every key of a partition carries the partition's hash tag
 * ({@code rf:{p7}:...}) so that all keys one script touches live in one cluster slot (DESIGN.md invariant 9).
 *
 * <p>The tags are chosen so that the P partitions sit at evenly spaced hash slots: partition n's tag is
 * {@code p<n>} if that hashes into slots [n*16384/P, (n+1)*16384/P), else {@code p<n>.<k>} for the smallest k
 * that does. A Redis Cluster whose masters own equal slot ranges (what {@code redis-cli --cluster create}
 * makes) then holds P/M partitions on each of its M masters, instead of the 4/5/7 that plain {@code p0..p15}
 * would give 3 masters.
 */
public final class RedisKeys {
    private final String namespace;
    private final String[] tags;
    /** "&lt;ns&gt;:{&lt;tag&gt;}:" per partition, built once: every key of every call starts with one. */
    private final String[] prefixes;

    public RedisKeys(String namespace, int partitions) {
        // Finding the tags costs about P² hash computations once at start: Tunables.PARTITIONS caps P.
        io.rapidfire.core.Tunables.PARTITIONS.check("partitions", partitions);
        this.namespace = namespace;
        this.tags = new String[partitions];
        this.prefixes = new String[partitions];
        for (int n = 0; n < partitions; n++) {
            tags[n] = tag(n, partitions);
            prefixes[n] = namespace + ":{" + tags[n] + "}:";
        }
    }

    static String tag(int n, int partitions) {
        int from = (int) ((long) n * SlotHash.SLOT_COUNT / partitions);
        int to = (int) ((long) (n + 1) * SlotHash.SLOT_COUNT / partitions);
        String t = "p" + n;
        for (int k = 1; !inWindow(SlotHash.getSlot(t), from, to); k++) {
            t = "p" + n + "." + k;
        }
        return t;
    }

    private static boolean inWindow(int slot, int from, int to) {
        return slot >= from && slot < to;
    }

    public int partitions() {
        return tags.length;
    }

    public String namespace() {
        return namespace;
    }

    /**
     * Prefix of every key of partition p. The claim script builds the keys of the conversations it finds from it,
     * with lua/includes/keys.lua, whose patterns must be the ones below (KeyPatternsTest compares them).
     */
    public String partitionPrefix(int p) {
        return prefixes[p];
    }

    public String due(int p) {
        return partitionPrefix(p) + "due";
    }

    public String inflight(int p) {
        return partitionPrefix(p) + "inflight";
    }

    public String conversation(int p, String conv) {
        return partitionPrefix(p) + "c:" + conv;
    }

    /**
     * Batch index (hash, batch id -> conversation key): the batches in flight and the ones they supersede, so a
     * bot's commit (which names only the batch and its partition) finds the conversation. The claim script writes
     * it (keys.lua batchIndexKey).
     */
    public String batches(int p) {
        return partitionPrefix(p) + "bx";
    }

    /**
     * A finished batch's tombstone (string, kept 10 minutes): "c" it counts as committed, "s:&lt;id&gt;" superseded by
     * that batch; so that a bot's commit after its batch left {@link #batches} is still answered. Written by
     * includes/finishFlight.lua (keys.lua tombstoneKey).
     */
    public String tombstone(int p, String batchId) {
        return partitionPrefix(p) + "done:" + batchId;
    }

    /**
     * Tests only: the time (ms) the scripts of a store built with manualClock() read instead of Redis TIME
     * (includes/nowMsManual.lua, keys.lua clockKey).
     */
    public String clock(int p) {
        return partitionPrefix(p) + "clock";
    }

    /**
     * A conversation's handover to a human (hash: s since, u until or -1, b by; includes/handover.lua, keys.lua
     * KEY_HANDOVER). Lives apart from the conversation hash, whose idle TTL must not end a "bot off".
     */
    public String handover(int p, String conv) {
        return partitionPrefix(p) + "ho:" + conv;
    }

    /** The partition's handovers (zset, conv -> until; +inf: no end), for listing them and announcing their ends. */
    public String handoverIndex(int p) {
        return partitionPrefix(p) + "hox";
    }

    public String open(int p, String conv) {
        return partitionPrefix(p) + "open:" + conv;
    }

    public String flight(int p, String conv) {
        return partitionPrefix(p) + "flight:" + conv;
    }

    public String seen(int p, String conv) {
        return partitionPrefix(p) + "seen:" + conv;
    }

    public String deadLetters(int p) {
        return partitionPrefix(p) + "dlq";
    }

    /** The messages of a dead letter, kept as they were in flight so a replay restores them exactly. */
    public String deadLetterMessages(int p, String batchId) {
        return partitionPrefix(p) + "dlq:m:" + batchId;
    }

    /** Runtime policy overrides (hash: tenant or "*" -> spec), read by every process. */
    public String policies() {
        return namespace + ":policies";
    }

    /** The newest handover changes (list, newest first, capped), for operators: one key of its own. */
    public String handoverChanges() {
        return namespace + ":handover-changes";
    }

    public String deadLetterIndex(int p) {
        return partitionPrefix(p) + "dlq:idx";
    }

    /** A one-time token (replay protection of webhook signatures); expires by itself. */
    public String mark(String token) {
        return namespace + ":once:" + token;
    }

    /**
     * The person a WhatsApp lid is (their phone), per tenant; expires by itself. All pairs share the hash tag
     * {@code {links}}: one slot of their own, away from the partitions' slots.
     */
    public String link(String tenant, String alias) {
        return namespace + ":{links}:" + tenant + ":" + alias;
    }

    /** Process registry: zset of process id -> last heartbeat (ms). */
    public String processes() {
        return namespace + ":procs";
    }

    /** One process's registration (hash), with a TTL a few heartbeats long. */
    public String process(String id) {
        return namespace + ":proc:" + id;
    }

    /** Deployment facts every process must agree on (the number of partitions). */
    public String meta() {
        return namespace + ":meta";
    }

    /** Pub/sub channel on which scripts announce earlier deadlines ("partition:dueAtMs"). */
    public String wakeChannel() {
        return namespace + ":wake";
    }
}
