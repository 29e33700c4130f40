package io.rapidfire.store.redis;

import io.rapidfire.core.LeaseOutcome;

import java.util.Set;

/**
 * The one map from the scripts' numeric return codes (see each script's header, "Output") to meanings. A code means
 * something only for the scripts that return it (1 is "appended" for append-6.lua and "committed" for commit-6.lua),
 * so each status names its scripts; ScriptStatusHeadersTest checks every header against this list. Scripts that
 * return data rather than a code (claim-2.lua) or a count (clear-6.lua; replayDeadLetter-6.lua when >= 0) have no
 * entry for those values.
 */
public enum ScriptStatus {
    OK(1, LeaseOutcome.OK, "done", Scripts.LEASE_AND_ADD),
    DUPLICATE(0, null, "duplicate message id; nothing stored", Set.of("append", "appendGroup", "addJob")),
    GONE(-1, LeaseOutcome.GONE, "the batch is no longer in flight (acknowledged, dead-lettered or cleared)",
            Scripts.LEASE),
    TAKEN_OVER(-2, LeaseOutcome.TAKEN_OVER, "the lease expired and another worker claimed the batch", Scripts.LEASED),
    UNSUPPORTED(-3, null, "the target's data model is a version this script was not tested with; nothing written",
            Set.of("addJob")),
    SUPERSEDED(-4, LeaseOutcome.SUPERSEDED, "the person wrote again and the batch was superseded (one answer per "
            + "thought); its messages come again in the next batch", Scripts.LEASE),

    APPENDED(1, null, "appended", Set.of("append", "appendGroup")),
    APPENDED_SUPERSEDING(2, null, "appended, and the batch in flight was superseded", Set.of("append", "appendGroup")),
    APPENDED_WITHDRAW_ASKED(3, null, "appended; the workers were asked to withdraw the batch awaiting its commit",
            Set.of("append", "appendGroup")),

    COMMITTED(1, null, "committed: the bot may answer", Set.of("commit")),
    COMMIT_SUPERSEDED(2, null, "superseded: the bot must not answer", Set.of("commit")),
    COMMIT_NOT_YET(3, null, "not yet: ask again at the time returned", Set.of("commit")),
    COMMIT_UNKNOWN(-1, null, "not in flight and not superseded", Set.of("commit")),
    COMMIT_HANDED_OVER(4, null, "handed over: a human has the conversation, the bot must not answer", Set.of("commit")),

    NOTHING_OPEN(0, null, "nothing open to flush", Set.of("flush")),
    DUE_NOW(1, null, "due now", Set.of("flush")),
    DUE_AFTER_FLIGHT(2, null, "due right after the batch in flight", Set.of("flush")),

    RECORDED(1, null, "recorded; no open batch moved", Set.of("presence")),
    RESCHEDULED(2, null, "recorded and the open batch rescheduled", Set.of("presence")),

    PURGED(1, null, "dead letter deleted", Set.of("purgeDeadLetter")),
    NOT_PURGED(0, null, "no such dead letter", Set.of("purgeDeadLetter")),
    NO_SUCH_DEAD_LETTER(-1, null, "no such dead letter", Set.of("replayDeadLetter")),

    WITHDRAWN(1, null, "the job was waiting and is withdrawn", Set.of("withdrawJob")),
    NOT_WITHDRAWN(0, null, "a worker has the job, or it is gone: nothing changed", Set.of("withdrawJob"));

    /** Script names as in their files, without directory and key count. */
    private static final class Scripts {
        static final Set<String> LEASED = Set.of("renew", "ack", "retry", "deadLetter", "awaitCommit");
        static final Set<String> LEASE = Set.of("renew", "ack", "retry", "deadLetter", "awaitCommit", "settle");
        static final Set<String> LEASE_AND_ADD = Set.of("renew", "ack", "retry", "deadLetter", "awaitCommit", "settle",
                "addJob");
    }

    final int code;
    final LeaseOutcome lease;
    final String meaning;
    final Set<String> scripts;

    ScriptStatus(int code, LeaseOutcome lease, String meaning, Set<String> scripts) {
        this.code = code;
        this.lease = lease;
        this.meaning = meaning;
        this.scripts = scripts;
    }

    public String meaning() {
        return meaning;
    }

    /** @param script "ack", "commit-6.lua" or "bullmq/addJob-8.lua": the name is what counts */
    public static ScriptStatus of(long code, String script) {
        String name = name(script);
        for (ScriptStatus s : values()) {
            if (s.code == code && s.scripts.contains(name)) {
                return s;
            }
        }
        throw new IllegalStateException("script " + script + " returned unknown code " + code
                + "; the Lua resources and the Java code are from different versions");
    }

    static String name(String script) {
        String base = script.substring(script.lastIndexOf('/') + 1);
        return base.replaceFirst("-(\\d+|n)\\.lua$", "");
    }

    static LeaseOutcome lease(Object reply, String script) {
        ScriptStatus s = of((Long) reply, script);
        if (s.lease == null) {
            throw new IllegalStateException("script " + script + " returned " + s + " where a lease outcome was expected");
        }
        return s.lease;
    }

    /** A script that answers a count, or a negative code: the count, or the code once it is known to be one. */
    static long countOrCode(long reply, String script) {
        return reply >= 0 ? reply : of(reply, script).code;
    }
}
