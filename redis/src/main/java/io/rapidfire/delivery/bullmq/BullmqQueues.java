package io.rapidfire.delivery.bullmq;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.rapidfire.store.redis.RedisLink;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.nio.charset.StandardCharsets;

/**
 * The BullMQ queues the sink writes to, found and read as a queue dashboard would: for the start check (a data-model
 * version this sink was not tested with, a Cluster without a hash tag) and for `rapidfire doctor`.
 */
public final class BullmqQueues {
    /** At most this many keys are looked at per master when searching for queues (found with SCAN, a page at a time). */
    static final int SCAN_LIMIT = 1_000_000;

    private BullmqQueues() {
    }

    /**
     * One queue as a dashboard shows it.
     *
     * @param oldestWaitingAgeMs age of the job that has waited longest, -1 when none waits
     * @param workers            connections named as BullMQ names its workers for this queue
     */
    public record QueueState(String queue, String version, boolean paused, long waiting, long active, long failed,
                             long completed, long oldestWaitingAgeMs, int workers) {
    }

    /** Refuses (IllegalStateException, saying what to change) a setup the sink cannot write to correctly. */
    public static void checkAtStart(RedisLink link, BullmqSettings s) {
        if (link.topology() == io.rapidfire.store.redis.RedisConnector.Topology.CLUSTER && !s.hashTagged()) {
            throw new IllegalStateException("the BullMQ queue Redis is a Cluster, and a queue's keys must share one "
                    + "slot (BullMQ requires it too): put a hash tag in the prefix, RAPIDFIRE_BULLMQ_PREFIX={bull}, and "
                    + "give the BullMQ worker the same prefix");
        }
        for (QueueState q : inspect(link, s, link.nowMs())) {
            String major = q.version() == null ? null : q.version().replaceAll("^[^:]*:(\\d+)\\..*$", "$1");
            if (major != null && !List.of(BullmqSink.TESTED_MAJORS.split(",")).contains(major)) {
                throw new IllegalStateException("BullMQ queue " + q.queue() + " was written by " + q.version()
                        + " (its meta.version); this sink writes the data model of BullMQ " + BullmqSink.TESTED_MAJORS
                        + ".x (tested with 6.7.0) and will not add jobs a different version may read wrongly. Run a "
                        + "BullMQ " + BullmqSink.TESTED_MAJORS + ".x worker, or use RAPIDFIRE_SINK=http or stream");
            }
        }
    }

    /** Every queue of the template that exists, found with SCAN on each master. */
    public static List<QueueState> inspect(RedisLink link, BullmqSettings s, long nowMs) {
        List<QueueState> out = new ArrayList<>();
        for (RedisLink.Server m : link.masters()) {
            if (!m.up()) {
                continue;
            }
            String clients = m.commands().clientList();
            for (String metaKey : scan(m.commands(), s.metaPattern())) {
                String queue = metaKey.substring(s.prefix().length() + 1, metaKey.length() - ":meta".length());
                out.add(read(link.commands(), s, queue, clients, nowMs));
            }
        }
        out.sort(java.util.Comparator.comparing(QueueState::queue));
        return out;
    }

    private static List<String> scan(RedisClusterCommands<String, String> r, String pattern) {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        long seen = 0;
        do {
            KeyScanCursor<String> page = r.scan(cursor, ScanArgs.Builder.matches(pattern).limit(1_000));
            keys.addAll(page.getKeys());
            cursor = page;
            seen += 1_000;
        } while (!cursor.isFinished() && seen < SCAN_LIMIT);
        return keys;
    }

    private static QueueState read(RedisClusterCommands<String, String> r, BullmqSettings s, String queue,
                                   String clients, long nowMs) {
        String base = s.prefix() + ":" + queue + ":";
        String version = r.hget(base + "meta", "version");
        boolean paused = r.hexists(base + "meta", "paused");
        long waiting = r.llen(base + "wait");
        String oldest = r.lindex(base + "wait", -1);
        long age = -1;
        if (oldest != null) {
            String ts = r.hget(base + oldest, "timestamp");
            age = ts == null ? -1 : Math.max(0, nowMs - Long.parseLong(ts));
        }
        return new QueueState(queue, version, paused, waiting, r.llen(base + "active"), r.zcard(base + "failed"),
                r.zcard(base + "completed"), age, workers(clients, s.prefix(), queue));
    }

    /** BullMQ names a worker's connection {@code <prefix>:<base64 queue name>}, or with ":w:<name>" after it. */
    static int workers(String clientList, String prefix, String queue) {
        String name = prefix + ":" + Base64.getEncoder().encodeToString(queue.getBytes(StandardCharsets.UTF_8));
        int n = 0;
        for (String line : clientList.split("\n")) {
            int at = line.indexOf(" name=");
            if (at < 0) {
                continue;
            }
            int end = line.indexOf(' ', at + 6);
            String client = end < 0 ? line.substring(at + 6).trim() : line.substring(at + 6, end);
            if (client.equals(name) || client.startsWith(name + ":w:")) {
                n++;
            }
        }
        return n;
    }
}
