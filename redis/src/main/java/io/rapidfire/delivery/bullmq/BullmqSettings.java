package io.rapidfire.delivery.bullmq;

/**
 * Where and how batches become BullMQ jobs. The defaults are the original system's: queue
 * {@code company-{tenant}-messages} under BullMQ's default prefix {@code bull}, job name {@code process-message},
 * 3 attempts with exponential backoff from 2 s.
 *
 * @param queueTemplate the queue name, {@code {tenant}} replaced by the batch's tenant
 * @param markMs        how long a batch's hand-off is remembered after its job was added (a redelivery within it
 *                      adds no second job even if BullMQ removed the first)
 * @param handoverQueueTemplate where batches go while a human has the conversation, and batches of handover events
 *                      only: a queue the AI worker does not read, since a stock worker cannot tell it must not
 *                      answer them (RAPIDFIRE_BULLMQ_HANDOVER_QUEUE; empty: the queue's name + "-handover")
 */
public record BullmqSettings(String queueTemplate, String prefix, String jobName, int attempts, long backoffMs,
                             long markMs, String handoverQueueTemplate) {
    public static final String DEFAULT_QUEUE = "company-{tenant}-messages";
    public static final String DEFAULT_PREFIX = "bull";
    public static final String DEFAULT_JOB_NAME = "process-message";
    public static final int DEFAULT_ATTEMPTS = 3;
    public static final long DEFAULT_BACKOFF_MS = 2_000;

    public static BullmqSettings defaults() {
        return new BullmqSettings(DEFAULT_QUEUE, DEFAULT_PREFIX, DEFAULT_JOB_NAME, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS,
                86_400_000L, "");
    }

    public BullmqSettings {
        if (queueTemplate.isBlank() || queueTemplate.contains(":")) {
            throw new IllegalArgumentException("the BullMQ queue name '" + queueTemplate + "' is empty or contains ':', "
                    + "which BullMQ does not allow in queue names (RAPIDFIRE_BULLMQ_QUEUE)");
        }
        handoverQueueTemplate = handoverQueueTemplate == null || handoverQueueTemplate.isBlank()
                ? queueTemplate + "-handover" : handoverQueueTemplate.strip();
        if (handoverQueueTemplate.contains(":") || handoverQueueTemplate.equals(queueTemplate)) {
            throw new IllegalArgumentException("the BullMQ handover queue '" + handoverQueueTemplate + "' contains ':' "
                    + "or is the AI worker's own queue (RAPIDFIRE_BULLMQ_HANDOVER_QUEUE): name a queue the AI worker "
                    + "does not read, or leave it empty for " + queueTemplate + "-handover");
        }
    }

    /** With the handover queue named after the queue ({@code <queue>-handover}). */
    public BullmqSettings(String queueTemplate, String prefix, String jobName, int attempts, long backoffMs,
                          long markMs) {
        this(queueTemplate, prefix, jobName, attempts, backoffMs, markMs, "");
    }

    /**
     * The queue a batch goes to: the handover queue while a human has the conversation, or when it holds handover
     * events only; else the tenant's queue.
     */
    public String queueFor(io.rapidfire.core.Batch batch) {
        String tenant = batch.conversation().tenant();
        return batch.handover() || batch.onlyEvents() ? handoverQueueTemplate.replace("{tenant}", tenant) : queue(tenant);
    }

    /** "{prefix}:{queue}:" of the queue a batch goes to ({@link #queueFor}). */
    public String baseFor(io.rapidfire.core.Batch batch) {
        return prefix + ":" + queueFor(batch) + ":";
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
