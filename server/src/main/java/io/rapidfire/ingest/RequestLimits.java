package io.rapidfire.ingest;

import io.rapidfire.core.Mask;
import io.rapidfire.core.Message;
import io.rapidfire.http.RateLimiter;
import io.rapidfire.http.Refused;
import io.rapidfire.ops.Metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * The webhook rate limits: per client address (RAPIDFIRE_RATE_IP_*) and per sender (RAPIDFIRE_RATE_SENDER_*), both
 * charged per message and typing event. Over a limit: 429 with Retry-After and nothing of the request stored.
 */
final class RequestLimits {
    private final IngestSettings settings;
    private final RateLimiter perSender;
    private final RateLimiter perIp;

    RequestLimits(IngestSettings settings, Metrics metrics) {
        this.settings = settings;
        this.perSender = new RateLimiter(settings.senderBurst(), settings.senderPerSecond());
        this.perIp = new RateLimiter(settings.ipBurst(), settings.ipPerSecond());
        metrics.limiterEvictions("sender", perSender::evictions);
        metrics.limiterEvictions("ip", perIp::evictions);
    }

    /** The request's first token, before its body is read. */
    void checkRequest(String client) {
        long wait = perIp.take(client, 1);
        if (wait > 0) {
            throw tooMany(wait, "too many requests from " + client + " (RAPIDFIRE_RATE_IP_BURST, RAPIDFIRE_RATE_IP_PER_SEC)");
        }
    }

    /**
     * The rest, once parsed: the address for every item beyond the request's first token, each sender for theirs. A
     * request that could never pass (more than a burst in itself) is 413 naming the limit, not a 429 whose
     * Retry-After cannot be honoured.
     */
    void checkItems(String client, Inbound in) {
        Map<String, Integer> perConversation = new HashMap<>();
        for (Message m : in.messages()) {
            perConversation.merge(m.conversation().key(), 1, Integer::sum);
        }
        for (Inbound.Presence p : in.presence()) {
            perConversation.merge(p.conversation().key(), 1, Integer::sum);
        }
        // The business's own messages cost store calls too (a handover and its event): they count like the rest.
        for (Inbound.Business b : in.business()) {
            perConversation.merge(b.conversation().key(), 1, Integer::sum);
        }
        int items = in.messages().size() + in.presence().size() + in.business().size();
        if (perIp.enabled() && items > perIp.burst()) {
            throw new Refused(413, "too_large", "this request carries " + items + " messages and events; at most "
                    + perIp.burst() + " are accepted from one address at once (RAPIDFIRE_RATE_IP_BURST): split it");
        }
        int most = perConversation.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        if (perSender.enabled() && most > perSender.burst()) {
            throw new Refused(413, "too_large", "this request carries " + most + " messages and events from one sender; at "
                    + "most " + perSender.burst() + " are accepted at once (RAPIDFIRE_RATE_SENDER_BURST): split it");
        }
        long ipWait = perIp.take(client, items - 1);
        if (ipWait > 0) {
            throw tooMany(ipWait, "too many messages from " + client + " (RAPIDFIRE_RATE_IP_BURST, "
                    + "RAPIDFIRE_RATE_IP_PER_SEC count messages); nothing stored");
        }
        for (Map.Entry<String, Integer> e : perConversation.entrySet()) {
            long w = perSender.take(e.getKey(), e.getValue());
            if (w > 0) {
                throw tooMany(w, "sender " + Mask.conversation(e.getKey()) + " sends faster than "
                        + settings.senderBurst() + " messages at once / " + Math.round(settings.senderPerSecond() * 60)
                        + " per minute (RAPIDFIRE_RATE_SENDER_BURST, RAPIDFIRE_RATE_SENDER_PER_MIN); nothing stored");
            }
        }
    }

    private static Refused tooMany(long seconds, String why) {
        return Refused.throttled("rate_limited", seconds, why);
    }
}
