package io.rapidfire.ingest;

import java.util.List;

/** Caller addresses as Javalin reports them (ctx.ip()): loopback, or listed. */
final class Addresses {
    private Addresses() {
    }

    static boolean isLoopback(String ip) {
        return ip.startsWith("127.") || ip.equals("::1") || ip.equals("0:0:0:0:0:0:0:1") || ip.startsWith("::ffff:127.");
    }

    /** Whether {@code ip} is in a list of "loopback" and/or exact addresses. */
    static boolean listed(String ip, List<String> list) {
        for (String t : list) {
            if (t.equals("loopback") ? isLoopback(ip) : t.equals(ip)) {
                return true;
            }
        }
        return false;
    }
}
