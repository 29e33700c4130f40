package io.rapidfire.core;

import java.util.Map;

/**
 * Small state every process of a deployment shares through the store: one-time marks (webhook replay guard,
 * the doctor's probe) and runtime policy overrides. Specified by {@code SharedStateContract}. Every method throws
 * {@link StoreUnavailableException} when the store cannot be reached.
 */
public interface SharedState {

    /** The store's name of a lid for {@link #link}: per channel, so another channel's ids can never meet WhatsApp's. */
    static String lidAlias(String channel, String lid) {
        return channel + "/" + lid;
    }

    /**
     * Returns true the first time {@code token} is presented within {@code ttlMs}, false on a repeat: webhook
     * signatures use it to refuse replays across every API process sharing the store.
     */
    boolean markOnce(String token, long ttlMs);

    /** Whether {@link #markOnce} has been called for {@code token} within its ttl; changes nothing. */
    boolean isMarked(String token);

    /**
     * Runtime policy overrides every process picks up without a restart: tenant (or "*" for the default) ->
     * spec in the RAPIDFIRE_TENANT_POLICIES field syntax ("quietMs:0,maxMessages:5").
     */
    Map<String, String> runtimePolicies();

    void setRuntimePolicy(String tenant, String spec);

    boolean clearRuntimePolicy(String tenant);

    /**
     * Remembers, for {@code ttlMs} from now, that {@code alias} (a WhatsApp lid, "whatsapp/lid:…") is the person
     * {@code canonical} (their phone, "+7900…") in {@code tenant}, so that a later message carrying only the alias joins
     * the phone's conversation. A live pair is never overwritten by another person: the first one stays until it
     * expires or is {@link #unlink}ed (a message naming a second phone for a known lid is a forgery or a number
     * change, which an operator settles). Pairs live in a space of their own (one Redis slot), apart from the
     * partitions.
     */
    LinkOutcome link(String tenant, String alias, String canonical, long ttlMs);

    /** What {@link #link} did. */
    enum LinkOutcome {
        /** The pair is new (the alias was unknown or its pair had expired). */
        NEW,
        /** The same pair was known; its time was renewed. */
        KNOWN,
        /** The alias is linked to someone else; nothing changed. */
        TAKEN
    }

    /** Forgets the pair of {@code alias}; true when there was one. */
    boolean unlink(String tenant, String alias);

    /** The person {@code alias} was last linked to in {@code tenant}, or null (never, or the pair expired). */
    String linked(String tenant, String alias);
}
