package io.rapidfire.delivery.bullmq;

/**
 * Where and how batches become BullMQ jobs. The defaults are the original system's: queue
 * {@code company-{tenant}-messages} under BullMQ's default prefix {@code bull}, job name {@code process-message},
 * 3 attempts with exponential backoff from 2 s.
 *
 * @param queueTemplate the queue name, {@code {tenant}} replaced by the batch's tenant
 * @param markMs        how long a batch's hand-off is remembered after its job was added (a redelivery within it
 *                      adds no second job even if BullMQ removed the first)
 */
public record BullmqSettings(String queueTemplate, String prefix, String jobName, int attempts, long backoffMs,
                             long markMs) {
    public static final String DEFAULT_QUEUE = "company-{tenant}-messages";
    public static final String DEFAULT_PREFIX = "bull";
    public static final String DEFAULT_JOB_NAME = "process-message";
    public static final int DEFAULT_ATTEMPTS = 3;
    public static final long DEFAULT_BACKOFF_MS = 2_000;

    public static BullmqSettings defaults() {
        return new BullmqSettings(DEFAULT_QUEUE, DEFAULT_PREFIX, DEFAULT_JOB_NAME, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS,
                86_400_000L);
    }

    public BullmqSettings {
        if (queueTemplate.isBlank() || queueTemplate.contains(":")) {
            throw new IllegalArgumentException("the BullMQ queue name '" + queueTemplate + "' is empty or contains ':', "
                    + "which BullMQ does not allow in queue names (RAPIDFIRE_BULLMQ_QUEUE)");
        }
    }

    /** The queue of a tenant. */
    public String queue(String tenant) {
        return queueTemplate.replace("{tenant}", tenant);
    }

    /** "{prefix}:{queue}:" — every key of the queue starts with it. */
    public String base(String tenant) {
        return prefix + ":" + queue(tenant) + ":";
    }

    /** SCAN pattern for the meta hash of every queue this template names. */
    public String metaPattern() {
        return glob(prefix) + ":" + glob(queueTemplate).replace("\\{tenant\\}", "*") + ":meta";
    }

    /** Whether every queue's keys share a Redis Cluster hash tag ({...} in the prefix or the queue name). */
    public boolean hashTagged() {
        String all = prefix + ":" + queueTemplate.replace("{tenant}", "x");
        int open = all.indexOf('{');
        return open >= 0 && all.indexOf('}', open) > open + 1;
    }

    private static String glob(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if ("*?[]\\{}".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** The tenant a queue name came from, or null when it does not match the template. */
    public String tenantOf(String queue) {
        int at = queueTemplate.indexOf("{tenant}");
        if (at < 0) {
            return queue.equals(queueTemplate) ? "" : null;
        }
        String before = queueTemplate.substring(0, at);
        String after = queueTemplate.substring(at + "{tenant}".length());
        return queue.length() > before.length() + after.length() && queue.startsWith(before) && queue.endsWith(after)
                ? queue.substring(before.length(), queue.length() - after.length()) : null;
    }
}
