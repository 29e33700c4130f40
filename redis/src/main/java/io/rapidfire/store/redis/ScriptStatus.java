package io.rapidfire.store.redis;

import io.rapidfire.core.LeaseOutcome;

/** The one map from the scripts' numeric return codes (see each script's header) to meanings. */
public enum ScriptStatus {
    OK(1, LeaseOutcome.OK, "done"),
    DUPLICATE(0, null, "duplicate message id; nothing stored"),
    GONE(-1, LeaseOutcome.GONE, "the batch is no longer in flight (acknowledged, dead-lettered or cleared)"),
    TAKEN_OVER(-2, LeaseOutcome.TAKEN_OVER, "the lease expired and another worker claimed the batch"),
    UNSUPPORTED(-3, null, "the target's data model is a version this script was not tested with; nothing written"),
    SUPERSEDED(-4, LeaseOutcome.SUPERSEDED, "the person wrote again and the batch was superseded (one answer per "
            + "thought); its messages come again in the next batch");

    final int code;
    final LeaseOutcome lease;
    final String meaning;

    ScriptStatus(int code, LeaseOutcome lease, String meaning) {
        this.code = code;
        this.lease = lease;
        this.meaning = meaning;
    }

    public String meaning() {
        return meaning;
    }

    public static ScriptStatus of(long code, String script) {
        for (ScriptStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalStateException("script " + script + " returned unknown code " + code
                + "; the Lua resources and the Java code are from different versions");
    }

    static LeaseOutcome lease(Object reply, String script) {
        ScriptStatus s = of((Long) reply, script);
        if (s.lease == null) {
            throw new IllegalStateException("script " + script + " returned " + s + " where a lease outcome was expected");
        }
        return s.lease;
    }
}
