package io.rapidfire.ops;

/** One registered Rapidfire process, as its last heartbeat described it. */
public record ProcessInfo(String id, String role, long pid, String host, String version, long startedAtMs,
                          long lastSeenMs, long inFlight) {
    public boolean delivers() {
        return role.equals("worker") || role.equals("standalone");
    }
}
