package io.rapidfire.ops.doctor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** CLIENT LIST, parsed: one map of fields (id, addr, name, db, cmd, ...) per connection. */
final class ClientList {
    private ClientList() {
    }

    static List<Map<String, String>> parse(String text) {
        List<Map<String, String>> out = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, String> f = new HashMap<>();
            for (String kv : line.trim().split(" ")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    f.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            out.add(f);
        }
        return out;
    }

    static boolean isRapidfire(Map<String, String> client) {
        return client.getOrDefault("name", "").startsWith("rapidfire:");
    }

    /**
     * Redis's own connections: a replica's link (flag S) or this server's link to its master (M), and Sentinels
     * (named sentinel-<id>-cmd / -pubsub). Neither a stranger nor Rapidfire.
     */
    static boolean isRedisItself(Map<String, String> client) {
        String flags = client.getOrDefault("flags", "");
        return flags.contains("S") || flags.contains("M") || client.getOrDefault("name", "").startsWith("sentinel-");
    }

    /**
     * A connection opened in the last few seconds that has not sent a command yet: a client still connecting (a
     * Rapidfire process's Cluster client opens node connections lazily, and names them with its first command).
     * It has touched nothing, so the clients check does not count it.
     */
    static boolean isStillConnecting(Map<String, String> client) {
        String cmd = client.getOrDefault("cmd", "");
        long age;
        try {
            age = Long.parseLong(client.getOrDefault("age", "0"));
        } catch (NumberFormatException e) {
            age = 0;
        }
        return (cmd.equalsIgnoreCase("NULL") || cmd.isEmpty()) && age <= 5;
    }

    /** "rapidfire:worker:1234@host" -> "worker pid 1234 on host host". */
    static String describe(String name) {
        String[] p = name.split(":", 3);
        if (p.length == 3 && p[2].contains("@")) {
            String[] pidHost = p[2].split("@", 2);
            return p[1] + " pid " + pidHost[0] + " on host " + pidHost[1];
        }
        return name;
    }
}
