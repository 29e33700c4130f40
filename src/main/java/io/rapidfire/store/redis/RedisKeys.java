package io.rapidfire.store.redis;

/**
 * The one place Redis key names are built. Every key of a partition carries the partition's hash tag
 * ({@code rf:{p7}:...}) so that all keys one script touches live in one cluster slot (DESIGN.md invariant 9).
 */
public final class RedisKeys {
    private final String namespace;

    public RedisKeys(String namespace) {
        this.namespace = namespace;
    }

    public String namespace() {
        return namespace;
    }

    /** Prefix of every key of partition p; the claim script builds per-conversation keys from it. */
    public String partitionPrefix(int p) {
        return namespace + ":{p" + p + "}:";
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

    public String deadLetterIndex(int p) {
        return partitionPrefix(p) + "dlq:idx";
    }

    /** A one-time token (replay protection of webhook signatures); expires by itself. */
    public String mark(String token) {
        return namespace + ":once:" + token;
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
